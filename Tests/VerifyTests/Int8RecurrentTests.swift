import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// SimpleRNN, GRU and LSTM computed in integers inside int8 models: the generated C against
/// the Swift integer reference, agreement with Keras, flash against the float model, and no
/// floating point in `NAME_predict_int8`.
@Suite("integer recurrent layers")
struct Int8RecurrentTests {
    /// Digit classifiers reading the 8 rows as 8 timesteps (`samples/make_recurrent_int8.py`);
    /// the `_hard` ones have hard sigmoid gates (Keras 3's and Keras 2's).
    static let models = [
        "rnn8_simple_rnn", "rnn8_simple_rnn_relu", "rnn8_simple_rnn_keras2", "rnn8_gru", "rnn8_gru_keras2", "rnn8_lstm",
        "rnn8_lstm_keras2", "rnn8_lstm_stack", "rnn8_bigru",
        "rnn8_gru_hard", "rnn8_lstm_keras2_hard",
    ]

    static func recurrentArithmetic(_ graph: Graph) -> [IntegerArithmetic] {
        graph.nodes.compactMap { node in
            guard case .recurrent = node.op else { return nil }
            return node.quantization?.arithmetic
        }
    }

    @Test("integer recurrent weights that do not fit the layer are refused once, naming the layer, by the reference and the code generator")
    func mismatchedRecurrentWeightsAreRefused() throws {
        var graph = try Samples.int8Compressed("rnn8_gru", sparsity: 0)
        let index = try #require(graph.nodes.firstIndex { if case .recurrent = $0.op { true } else { false } })
        guard case var .recurrent(layer)? = graph.nodes[index].quantization?.arithmetic else {
            Issue.record("the GRU is not integer")
            return
        }
        layer.recurrentWeights.removeLast()
        graph.nodes[index].quantization?.arithmetic = .recurrent(layer)
        let expected = "GRU has integer weights that do not fit an input [8, 8] and 32 units"
        let reference = #expect(throws: InferenceError.self) { try Int8Inference(graph: graph) }
        #expect(reference?.layer == graph.nodes[index].name && reference?.message == expected)
        let generated = #expect(throws: InferenceError.self) { try CodeGenerator().generate(graph) }
        #expect(generated?.layer == graph.nodes[index].name && generated?.message == expected)
    }

    @Test("each gate channel reaches Q3.12 through exactly its 16-bit multiplier and the layer's one shift", arguments: models)
    func gateScalesFitTheirMultipliers(_ name: String) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0)
        for node in graph.nodes {
            guard case let .recurrent(layer)? = node.quantization?.arithmetic, case let .recurrent(cell) = node.op else { continue }
            let gateScale = cell.activation == .tanh ? 1.0 / 4096 : Double(try #require(node.quantization?.output?.scale))
            // The largest channel uses all 16 bits: no resolution is lost to the shared shift.
            #expect(layer.gateMultipliers.max()! >= 1 << 15, "\(name) \(node.name)")
            for c in 0..<layer.width {
                let real = Double(layer.gateMultipliers[c]) * pow(2, Double(layer.gateShift - 16))
                let fitted = Double(layer.productScales[c]) / gateScale
                #expect(abs(real - fitted) <= fitted * 1e-7, "\(name) \(node.name) channel \(c): \(real) vs \(fitted)")
            }
        }
    }

    @Test(
        "every recurrent layer computes in integers, and the int8 C equals the Swift integer reference on every test digit",
        arguments: models)
    func bitExactOnHost(_ name: String) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0)
        let arithmetic = Self.recurrentArithmetic(graph)
        #expect(!arithmetic.isEmpty && arithmetic.allSatisfy { if case .recurrent = $0 { true } else { false } }, "\(name): \(arithmetic)")
        let report = try Int8ParityTests.verify(graph, model: name)
        #expect(report.samples == 360)
        #expect(report.passed, "\(name): \(report)")
        #expect(report.compilerOutput.isEmpty, "\(name): \(report.compilerOutput)")
    }

    @Test("the int8 model's top-1 class agrees with Keras's on at least 98% of the held-out digits", arguments: models)
    func agreementWithKeras(_ name: String) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0)
        let inputs = try Samples.testData(name).inputs
        let keras = try NpyFile.read(path: samplesRoot.path + "/models/" + name + "/output.npy")
        let int8 = try Int8Inference(graph: graph).predict([inputs])[0]
        let classes = keras.values.count / keras.sampleCount
        func top1(_ values: [Float], _ i: Int) -> Int {
            let row = values[(i * classes)..<((i + 1) * classes)]
            return row.indices.max { row[$0] < row[$1] }! - i * classes
        }
        let agreeing = (0..<keras.sampleCount).filter { top1(int8.values, $0) == top1(keras.values, $0) }.count
        #expect(Double(agreeing) >= 0.98 * Double(keras.sampleCount), "\(name): \(agreeing) of \(keras.sampleCount)")
    }

    @Test(
        "--sparsity prunes the kernel and recurrent kernel of a recurrent layer, and the pruned int8 C stays bit-exact",
        arguments: ["rnn8_gru", "rnn8_lstm"])
    func pruned(_ name: String) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0.5)
        let layers = graph.nodes.compactMap { node -> QuantizedRecurrent? in
            if case let .recurrent(layer)? = node.quantization?.arithmetic { return layer }
            return nil
        }
        try #require(layers.count == 1)
        for weights in [layers[0].inputWeights, layers[0].recurrentWeights] {
            let zeros = weights.filter { $0 == 0 }.count
            #expect(Double(zeros) >= 0.5 * Double(weights.count), "\(name): \(zeros) zeros of \(weights.count)")
        }
        let report = try Int8ParityTests.verify(graph, model: name)
        #expect(report.passed, "\(name): \(report)")
    }

    @Test(
        "AddressSanitizer and UndefinedBehaviorSanitizer find nothing in the integer recurrent kernels",
        arguments: ["rnn8_simple_rnn_relu", "rnn8_gru", "rnn8_gru_keras2", "rnn8_lstm_stack"])
    func sanitized(_ name: String) throws {
        let report = try Int8ParityTests.verify(try Samples.int8Compressed(name, sparsity: 0), model: name, sanitize: true, limit: 40)
        #expect(report.passed, "\(name): \(report)")
    }
}

/// What the generated C of the integer recurrent models needs on a Cortex-M: flash and
/// floating-point support.
@Suite("integer recurrent layers on Cortex-M", .enabled(if: installed("arm-none-eabi-gcc") && installed("arm-none-eabi-nm")))
struct Int8RecurrentTargetTests {
    @Test(
        "an int8 GRU or LSTM classifier takes at most 0.4 of the float model's flash",
        arguments: [
            "rnn8_gru", "rnn8_gru_keras2", "rnn8_lstm", "rnn8_lstm_keras2", "rnn8_lstm_stack", "rnn8_gru_hard", "rnn8_lstm_keras2_hard",
        ])
    func flash(_ name: String) throws {
        let float = try Samples.graph(name)
        let int8 = try Samples.int8Compressed(name, sparsity: 0)
        let floatFlash = Footprint.of(try CodeGenerator().generate(float), measure: .always).flashBytes
        let int8Footprint = Footprint.of(try CodeGenerator().generate(int8), measure: .always)
        guard case .measured = int8Footprint.method else {
            Issue.record("the flash was not measured: \(int8Footprint.method)")
            return
        }
        #expect(Double(int8Footprint.flashBytes) <= 0.4 * Double(floatFlash), "\(name): \(int8Footprint.flashBytes) of \(floatFlash) bytes")
    }

    /// The symbols a soft-float Cortex-M0+ build of `entry` (and all it calls) leaves undefined,
    /// linked alone with unused sections dropped.
    static func undefinedSymbols(_ model: GeneratedModel, entry: String) throws -> [String] {
        try withScratchFolder { folder in
            try write(model, to: folder)
            let cpu = ["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"]
            let compiler = try #require(CCompiler.armNoneEabi)
            try compiler.compile(
                ["-std=c99"] + cpu + ["-Os", "-ffunction-sections", "-fdata-sections", "-c", model.name + ".c", "-o", "model.o"],
                in: folder)
            try compiler.compile(
                cpu + [
                    "-nostdlib", "-Wl,--gc-sections", "-Wl,-e,\(entry)", "-Wl,--unresolved-symbols=ignore-all", "model.o", "-o",
                    "model.elf",
                ],
                in: folder)
            let listed = try ProcessRunner.run("arm-none-eabi-nm", ["-u", "model.elf"], in: folder)
            try #require(listed.succeeded, "\(listed.stderr)")
            return listed.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        }
    }

    static func isFloatingPoint(_ symbol: String) -> Bool {
        ["__aeabi_f", "__aeabi_d", "__aeabi_i2f", "__aeabi_ui2f", "__aeabi_l2f", "__aeabi_i2d"].contains { symbol.hasPrefix($0) }
            || ["tanhf", "expf", "tanh", "exp"].contains(symbol)
    }

    @Test(
        "NAME_predict_int8 of an int8 recurrent model calls no floating-point routine on an FPU-less core (NAME_predict does)",
        arguments: ["rnn8_simple_rnn", "rnn8_gru", "rnn8_gru_keras2", "rnn8_lstm", "rnn8_bigru", "rnn8_lstm_keras2_hard"])
    func noFloatingPoint(_ name: String) throws {
        let model = try CodeGenerator().generate(try Samples.int8Compressed(name, sparsity: 0))
        let int8 = try Self.undefinedSymbols(model, entry: model.name + "_predict_int8")
        #expect(!int8.contains(where: Self.isFloatingPoint), "\(name): \(int8)")
        // The float entry point quantizes and dequantizes: the check sees float where there is some.
        let float = try Self.undefinedSymbols(model, entry: model.name + "_predict")
        #expect(float.contains(where: Self.isFloatingPoint), "\(name): \(float)")
    }
}
