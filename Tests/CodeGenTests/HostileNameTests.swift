import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Layer and model names are free text; none of it may change the generated code.
@Suite("Hostile names")
struct HostileNameTests {
    static let names = [
        "*/ int x; /*", "#define", "a\\\nb", "int", "9lives", "naïve", "conv 1", "conv_1", "tp_dense_f32", "x */ #include <stdio.h> /* y",
    ]

    /// input → one dense layer per hostile name, in a chain → output.
    static func graph() -> Graph {
        var nodes = [Node(name: "*/ int input; /*", kerasClass: "InputLayer", op: .input, inputs: [], outputShape: [6])]
        for (index, name) in names.enumerated() {
            var node = HandMadeGraphs.dense(name, input: index, width: 6, units: 6, activation: .tanh, seed: index)
            node.kerasClass = "Dense */ int y; /*"
            nodes.append(node)
        }
        return Graph(name: "*/ int x; /*\nnaïve", nodes: nodes, inputs: [0], outputs: [nodes.count - 1], producer: "*/ #error /*")
    }

    @Test("the default C name is a sanitized model name")
    func defaultName() throws {
        #expect(try CodeGenerator().cName(for: Self.graph()) == "int_x_na_uef_ve")
        #expect(try CodeGenerator().cName(for: Graph(name: "9lives", nodes: [], inputs: [], outputs: [])) == "model_9lives")
        #expect(try CodeGenerator().cName(for: Graph(name: "", nodes: [], inputs: [], outputs: [])) == "model")
    }

    @Test("a --name that is not a C identifier is refused", arguments: ["9lives", "int", "my model", "naïve", "__x", ""])
    func badName(_ name: String) {
        #expect(throws: CodeGenError.invalidName(name)) {
            try CodeGenerator(options: ConversionOptions(name: name)).generate(HandMadeGraphs.chain([4, 4]))
        }
    }

    @Test("hostile names compile cleanly and define only the expected symbols")
    func onlyExpectedDefinitions() throws {
        let model = try CodeGenerator().generate(Self.graph())
        let name = model.name
        #expect(name == "int_x_na_uef_ve")
        let code = strippingComments(model.source) + strippingComments(model.header)
        for fragment in ["int x", "int y", "int input", "#define\n", "#error", "#include <stdio.h>", "naïve"] {
            #expect(!code.contains(fragment), "'\(fragment)' reached the code outside comments")
        }
        // Every file-scope definition is a weight array, a parameter struct or the fixed names.
        var defined: [String] = []
        for line in strippingComments(model.source).split(separator: "\n") where !line.hasPrefix(" ") && !line.hasPrefix("#") {
            if let match = line.firstMatch(of: /^static const (?:float|tp_\w+) (\w+)/) {
                defined.append(String(match.1))
            } else if let match = line.firstMatch(of: /^(?:static )?int (\w+)\(/) {
                defined.append(String(match.1))
            } else if let match = line.firstMatch(of: /^static \w+ (\w+) TOPIARY_ARENA_SECTION/) {
                defined.append(String(match.1))
            } else if let match = line.firstMatch(of: /^\} (\w+);$/) {
                defined.append(String(match.1))
            } else if let match = line.firstMatch(of: /^typedef char (\w+)\[/) {
                defined.append(String(match.1))
            }
        }
        var expected = [
            "\(name)_requires_ieee_float", "\(name)_arena", "\(name)_arena_views", "\(name)_run", "\(name)_predict",
            "\(name)_predict_multi", "\(name)_predict_arena", "\(name)_predict_multi_arena",
        ]
        for id in [
            "int_x", "define", "a_b", "l_int", "l_9lives", "na_uef_ve", "conv_1", "conv_1_2", "l_tp_dense_f32", "x_include_stdio_h_y",
        ] {
            expected += [id + "_kernel", id + "_bias", id + "_params"]
        }
        // Two names sanitize to `conv_1`: the second layer's symbols get `_2` suffixes.
        expected = expected.map {
            $0 == "conv_1_2_kernel"
                ? "conv_1_kernel_2" : $0 == "conv_1_2_bias" ? "conv_1_bias_2" : $0 == "conv_1_2_params" ? "conv_1_params_2" : $0
        }
        #expect(defined.sorted() == expected.sorted())

        try withScratchFolder { folder in
            try write(model, to: folder)
            for compiler in ["gcc", "clang"] where installed(compiler) {
                try CCompiler(command: [compiler]).compile(CCompiler.strictFlags + ["-c", "\(name).c", "-o", "\(name).o"], in: folder)
                if installed("nm") {
                    let symbols = try ProcessRunner.run("nm", ["-g", "--defined-only", "\(name).o"], in: folder)
                    let globals = symbols.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
                    #expect(
                        globals.sorted()
                            == ["\(name)_predict", "\(name)_predict_arena", "\(name)_predict_multi", "\(name)_predict_multi_arena"],
                        "\(compiler): \(globals)")
                }
            }
        }
    }

    @Test("hostile names do not change the arithmetic")
    func parity() throws {
        let report = try ParityHarness().verify(Self.graph(), inputs: [randomSamples([5, 6], in: -2...2, seed: 3)])
        #expect(report.passed, "\(report)")
        #expect(report.maxAbsoluteError == 0)
    }
}
