import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// `topiary profile` on the digits MLP: instructions counted on the emulated core, per layer,
/// with the outputs checked against the Swift reference.
struct ProfileCommandTests {
    /// Runs `topiary`, with `path` as its PATH when given.
    func topiary(_ arguments: [String], path: String? = nil) throws -> Run {
        var environment: [String: String]?
        if let path {
            environment = ProcessInfo.processInfo.environment
            environment?["PATH"] = path
        }
        return try TopiaryTestSupport.topiary(arguments: arguments, environment: environment)
    }

    let mlp = repositoryRoot.appendingPathComponent("samples/models/mlp/model.h5").path
    let input = repositoryRoot.appendingPathComponent("samples/models/mlp/input.npy").path
    var int8Options: [String] {
        ["--quantize", "int8", "--calibration", repositoryRoot.appendingPathComponent("samples/data/digits_train_x.npy").path]
    }

    func profile(_ options: [String]) throws -> ProfileReport {
        let run = try topiary(["profile", mlp, "--input", input, "--samples", "3", "--json"] + options)
        try #require(run.status == 0, "profile failed: \(run.stderr)\(run.stdout)")
        return try JSONReport.decode(ProfileReport.self, from: run.stdout)
    }

    @Test(.needsEmulator)
    func int8ProfileOnTheM4IsBitExactAndTheLayersFollowTheirMultiplyAdds() throws {
        let report = try profile(int8Options)
        #expect(report.passed && report.comparison == "bit-exact" && report.samples == 3)
        #expect(report.target == .cortexM4F && report.board == "mps2-an386")
        #expect(report.layers.map(\.name) == ["fc1", "fc2", "fc3", "fc3/activation"])
        // 64x64, 64x32 and 32x10 multiply-adds: each Dense layer costs more than the next.
        let dense = report.layers.prefix(3).map(\.instructions)
        #expect(dense[0] > dense[1] && dense[1] > dense[2] && dense[2] > 0, "\(dense)")
        // The layers, timed in the profiling build, account for most of the plain build's total.
        let layers = report.layers.map(\.instructions).reduce(0, +)
        #expect(layers <= report.instructions && layers * 10 >= report.instructions * 8, "\(layers) of \(report.instructions)")
        #expect(report.model.rodata > 4096 + 2048 && report.model.text > 0 && report.model.bss > 0)
    }

    @Test(.needsEmulator)
    func floatProfileOnTheM0PlusIsWithinToleranceAndCostsMoreThanOnTheM4() throws {
        let m0 = try profile(["--target", "cortex-m0plus"])
        let m4 = try profile([])
        #expect(m0.passed && m0.comparison.hasPrefix("tolerance") && m0.board == "mps2-an385")
        // Without an FPU every float multiply-add is a library call.
        #expect(m0.instructions > 4 * m4.instructions, "M0+ \(m0.instructions), M4 \(m4.instructions)")
    }

    @Test(.needsEmulator)
    func int8ProfileOnTheM7RunsOnItsBoardAndIsBitExact() throws {
        let report = try profile(int8Options + ["--target", "cortex-m7"])
        #expect(report.passed && report.comparison == "bit-exact")
        #expect(report.target == .cortexM7 && report.board == "mps2-an500")
        #expect(report.compileCommand.hasPrefix("arm-none-eabi-gcc -mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16 "))
    }

    @Test func aMissingEmulatorIsNamedWithItsDebianPackage() throws {
        try withScratchFolder { folder in
            let run = try topiary(["profile", mlp, "--input", input], path: folder)
            #expect(run.status == 1)
            #expect(
                run.stderr == "error: 'arm-none-eabi-gcc' was not found in PATH; profiling on an emulated Cortex-M needs it "
                    + "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)\n")
        }
    }
}
