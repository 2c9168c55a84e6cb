import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The generated int8 C builds clean under `-std=c99 -Wall -Wextra -Wpedantic -Werror` with
/// every compiler the firmware world uses; a missing compiler is a skip, not a pass.
@Suite("int8 strict compiles")
struct Int8StrictCompileTests {
    static let compilers: [(command: String, flags: [String])] = [
        ("gcc", ["-O2"]), ("clang", ["-O2"]), ("arm-none-eabi-gcc", ["-mcpu=cortex-m4", "-mthumb", "-Os"]),
        ("arm-none-eabi-gcc", ["-mcpu=cortex-m0", "-mthumb", "-Os"]),
    ]

    /// Models with every int8 kernel between them: all formats, pooling, softmax, merges,
    /// padding, lookup tables and an integer recurrent layer.
    static func models() throws -> [(String, Graph, FormatChoice)] {
        var result: [(String, Graph, FormatChoice)] = []
        for name in Samples.digitModels {
            for (sparsity, format) in [(0.8, FormatChoice.auto), (0.9, .csr), (0.5, .bitmask)] {
                result.append(("\(name) \(sparsity) \(format)", try Samples.int8Compressed(name, sparsity: sparsity), format))
            }
        }
        result.append(("mlp 2:4", try Samples.int8Compressed("mlp", sparsity: 0, pattern: try SparsityPattern(n: 2, m: 4)), .nm))
        for entry in ["gru", "add", "zero_padding2d", "act_sigmoid", "concatenate", "multiply", "softmax_axis1"] {
            let graph = try SampleFolder.zoo(entry).importGraph()
            let samples = try Calibration.samples(from: try SampleFolder.zoo(entry).inputs(), for: graph)
            result.append((entry, try Quantizer.quantize(graph, samples: samples), .auto))
        }
        return result
    }

    @Test("gcc, clang and arm-none-eabi-gcc accept the generated C with -Werror")
    func strict() throws {
        let models = try Self.models()
        for compiler in Self.compilers where installed(compiler.command) {
            for (label, graph, format) in models {
                let model = try CodeGenerator(options: ConversionOptions(name: "net", format: format)).generate(graph)
                try withScratchFolder { folder in
                    try write(model, to: folder)
                    let result = try CProgram.execute(
                        "/usr/bin/env",
                        [compiler.command] + CProgram.strictFlags + compiler.flags + ["-c", folder + "/net.c", "-o", folder + "/net.o"])
                    #expect(result.status == 0, "\(label) with \(compiler.command) \(compiler.flags): \(result.stderr.prefix(2000))")
                }
            }
        }
    }
}
