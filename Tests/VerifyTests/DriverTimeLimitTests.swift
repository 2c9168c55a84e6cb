import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The compiled parity driver runs under a time limit: C that never returns is stopped and
/// reported, so `verify` cannot hang.
@Suite("parity driver time limit")
struct DriverTimeLimitTests {
    @Test("a driver stuck in a loop is stopped at its limit and reported as timed out")
    func stuckDriverIsStopped() throws {
        let graph = try Samples.graph("mlp")
        var model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(graph)
        let index = try #require(model.files.firstIndex { $0.name == "net.c" })
        let exit = try #require(model.files[index].contents.range(of: "return 0;"))
        model.files[index].contents.replaceSubrange(exit, with: "for (;;) { }")
        let inputs = try Samples.testData("mlp").inputs
        let clock = ContinuousClock()
        let started = clock.now
        #expect {
            _ = try ParityHarness(driverTimeLimit: 2).verify(graph, inputs: [inputs], sources: nil, reshape: true, model: model)
        } throws: { error in
            guard case let ToolchainError.timedOut(tool, seconds) = error else { return false }
            return tool.hasSuffix("/driver") && seconds == 2
        }
        #expect(clock.now - started < .seconds(30))
    }
}
