import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// `--quantize int8-weights`: the C stores int8 kernels with a float scale per channel and
/// computes in float; it must match the float reference of the compressed graph exactly.
@Suite("int8-weights C parity")
struct Int8WeightsParityTests {
    @Test("the C equals the float reference of the int8-weights graph", arguments: Samples.digitModels + ["gru"])
    func parity(_ name: String) throws {
        let graph = try Samples.graph(name)
        let options = CompressionOptions(pruning: PruningOptions(target: .uniform(0.5)), quantization: .int8Weights)
        let compressed = try CompressionPipeline.run(graph, options: options).graph
        let model = try CodeGenerator().generate(compressed)
        #expect(model.source.contains("_s8w_f32("), "\(name): no int8-weight kernel in the C")
        let inputs = try NpyFile.read(path: samplesRoot.path + "/models/\(name)/input.npy")
        let report = try ParityHarness(sanitize: name == "dscnn").verify(compressed, inputs: [inputs])
        #expect(report.maxScaledError == 0, "\(name): \(report)")
    }

    @Test("int8-weights C builds with -Werror")
    func strict() throws {
        let graph = try CompressionPipeline.run(try Samples.graph("dscnn"), options: CompressionOptions(quantization: .int8Weights)).graph
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(graph)
        try withScratchFolder { folder in
            try write(model, to: folder)
            let result = try CProgram.execute(
                "/usr/bin/env", ["cc"] + CProgram.strictFlags + ["-O2", "-c", folder + "/net.c", "-o", folder + "/net.o"])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }
}
