import Testing
@testable import Topiary
import TopiaryTestSupport

/// The generated int8 C against the Swift integer reference on every test digit: zero
/// mismatches, at every sparsity and in every format.
@Suite("int8 C parity")
struct Int8ParityTests {
    static func verify(
        _ graph: Graph, model name: String, format: FormatChoice = .auto, sanitize: Bool = false,
        limit: Int? = nil
    ) throws -> ParityReport {
        var inputs = try Samples.testData(name).inputs
        if let limit {
            let size = inputs.sampleShape.elementCount
            inputs = NDArray(shape: [limit] + inputs.sampleShape, values: Array(inputs.values.prefix(limit * size)))
        }
        let harness = ParityHarness(options: ConversionOptions(format: format), sanitize: sanitize)
        return try harness.verify(graph, inputs: [inputs], reshape: true)
    }

    static let sparsities: [Double] = [0, 0.5, 0.8, 0.9]

    @Test(
        "zero mismatches on every test digit, the model and driver compiling without a warning", arguments: Samples.digitModels, sparsities)
    func parity(_ name: String, sparsity: Double) throws {
        let report = try Self.verify(try Samples.int8Compressed(name, sparsity: sparsity), model: name)
        #expect(report.samples == 360)
        #expect(report.passed, "\(name) at \(sparsity): \(report)")
        #expect(report.compilerOutput.isEmpty, "\(name) at \(sparsity): \(report.compilerOutput)")
    }

    @Test("dscnn at 80% global with reconstruction (a depthwise channel refitted to almost nothing) converts with zero mismatches")
    func negligibleDepthwiseChannel() throws {
        let graph = try Samples.graph("dscnn")
        var options = CompressionOptions(quantization: .int8, reconstruct: true)
        options.pruning = PruningOptions(target: .uniform(0.8), scope: .global)
        let compressed = try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph)).graph
        let report = try Self.verify(compressed, model: "dscnn")
        #expect(report.passed, "\(report)")
    }
}

extension Int8ParityTests {
    /// One format forced on every weighted layer: the kernels of that format run everywhere.
    @Test("each format forced on every layer", arguments: [FormatChoice.dense, .bitmask, .csr])
    func forcedFormat(_ format: FormatChoice) throws {
        for name in ["mlp", "cnn", "dscnn"] {
            let graph = try Samples.int8Compressed(name, sparsity: 0.8)
            let model = try CodeGenerator(options: ConversionOptions(format: format)).generate(graph)
            #expect(
                model.layers.filter { $0.weights > $0.channels }.allSatisfy { $0.format.description == format.rawValue },
                "\(name): \(model.layers.map(\.format))")
            let report = try Self.verify(graph, model: name, format: format)
            #expect(report.passed, "\(name), \(format): \(report)")
        }
    }

    @Test("N:M pruning is stored and computed as N:M", arguments: ["2:4", "1:4", "3:8"])
    func nmFormat(_ text: String) throws {
        let pattern = try SparsityPattern(parsing: text)
        for name in ["mlp", "cnn", "dscnn", "conv1d"] {
            let graph = try Samples.int8Compressed(name, sparsity: 0, pattern: pattern)
            let model = try CodeGenerator(options: ConversionOptions(format: .nm)).generate(graph)
            let patterned = model.layers.filter { if case .nm = $0.format { return true } else { return false } }
            #expect(!patterned.isEmpty, "\(name): no layer stored as N:M")
            let report = try Self.verify(graph, model: name, format: .nm)
            #expect(report.passed, "\(name), \(text): \(report)")
        }
    }

    @Test("AddressSanitizer and UndefinedBehaviorSanitizer find nothing", arguments: Samples.digitModels)
    func sanitized(_ name: String) throws {
        for (sparsity, format) in [(0.0, FormatChoice.auto), (0.9, .csr), (0.6, .bitmask)] {
            let report = try Self.verify(
                try Samples.int8Compressed(name, sparsity: sparsity), model: name, format: format,
                sanitize: true, limit: 40)
            #expect(report.passed, "\(name) at \(sparsity), \(format): \(report)")
        }
    }
}

extension Int8ParityTests {
    @Test("the harness notices a single changed bias")
    func detectsMismatch() throws {
        let graph = try Samples.int8Compressed("mlp", sparsity: 0.5)
        var model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(graph)
        let index = try #require(model.files.firstIndex { $0.name == "net.c" })
        var source = model.files[index].contents
        // The first value of fc2's bias array, shifted by a large amount.
        let marker = try #require(source.range(of: "fc2: int32 bias"))
        let open = try #require(source.range(of: "= {\n    ", range: marker.upperBound..<source.endIndex))
        let end = try #require(source[open.upperBound...].firstIndex { $0 == "," || $0 == "\n" })
        let value = try #require(Int(source[open.upperBound..<end]))
        source.replaceSubrange(open.upperBound..<end, with: String(value + 100_000))
        model.files[index].contents = source
        let inputs = try Samples.testData("mlp").inputs
        let report = try ParityHarness().verify(graph, inputs: [inputs], sources: nil, reshape: true, model: model)
        #expect(!report.passed)
        #expect(report.mismatchedSamples > 0)
        #expect(report.worst != nil)
    }
}

extension Int8ParityTests {
    /// Random inputs as one array of `count` samples of `shape`.
    static func randomInputs(_ shape: [Int], count: Int, seed: UInt64) -> NDArray {
        let t = randomTensor([count] + shape, in: -2...2, seed: seed)
        return NDArray(shape: t.shape, values: t.values)
    }

    @Test(
        "CSR rows over several segments, empty ones included, in Dense, convolution and depthwise kernels",
        arguments: [FormatChoice.csr, .bitmask, .dense])
    func longRows(_ format: FormatChoice) throws {
        var g = GraphBuilder()
        g.input([6, 6, 40])
        // Conv rows are 3·3·40 = 360 long (two segments); most weights pruned so segments are empty.
        try g.seededLongPatchConvolutions(seed: 21, keepConvolution: 397)
        try g.add(.flatten, name: "flat")
        var dense = randomTensor([180, 4], seed: 25)
        for i in dense.values.indices where i % 300 > 2 { dense.values[i] = 0 }
        try g.dense(dense, bias: Tensor(zeros: [4]), name: "fc")
        let graph = g.graph()
        let inputs = Self.randomInputs([6, 6, 40], count: 30, seed: 26)
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
        let model = try CodeGenerator(options: ConversionOptions(format: format)).generate(quantized)
        if format == .csr {
            #expect(model.source.contains("tp_conv2d_csr_s8"))
            #expect(model.source.contains("tp_dense_csr_s8"))
        }
        let report = try ParityHarness(options: ConversionOptions(format: format), sanitize: true).verify(quantized, inputs: [inputs])
        #expect(report.passed, "\(report)")
    }
}

extension Int8ParityTests {
    @Test("CSR rows of more than 255 entries count them segment by segment")
    func wideRows() throws {
        var g = GraphBuilder()
        g.input([300])
        try g.dense(randomTensor([300, 3], seed: 31), bias: randomTensor([3], seed: 32), activation: .plainRelu, name: "wide")
        let graph = g.graph()
        let inputs = Self.randomInputs([300], count: 20, seed: 33)
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(quantized)
        #expect(model.source.contains("entries per segment of 255 inputs"))
        let report = try ParityHarness(options: ConversionOptions(format: .csr)).verify(quantized, inputs: [inputs])
        #expect(report.passed, "\(report)")
    }
}

extension Int8ParityTests {
    /// The other sample models (several inputs and outputs, integer recurrent layers,
    /// Keras 2 files), calibrated on their own test inputs.
    @Test("zero mismatches on the other sample models", arguments: ["multi_io", "gru", "lstm", "cnn_keras2", "mlp_keras2", "mlp_weights"])
    func otherModels(_ name: String) throws {
        let graph = try Samples.graph(name)
        let folder = samplesRoot.path + "/models/" + name
        var inputs: [NDArray] = []
        if let single = try? NpyFile.read(path: folder + "/input.npy") {
            inputs = [single]
        } else {
            while let array = try? NpyFile.read(path: folder + "/input_\(inputs.count).npy") { inputs.append(array) }
        }
        let samples = try Calibration.samples(from: inputs, for: graph, limit: 100)
        let options = CompressionOptions(pruning: PruningOptions(target: .uniform(0.6)), quantization: .int8)
        let quantized = try CompressionPipeline.run(graph, options: options, calibration: samples).graph
        let report = try ParityHarness().verify(quantized, inputs: inputs)
        #expect(report.passed, "\(name): \(report)")
    }
}

extension Int8ParityTests {
    @Test("the same model and options give byte-identical int8 C")
    func deterministic() throws {
        let first = try CodeGenerator(options: ConversionOptions(compression: "--sparsity 0.8")).generate(
            try Samples.int8Compressed("dscnn", sparsity: 0.8))
        let second = try CodeGenerator(options: ConversionOptions(compression: "--sparsity 0.8")).generate(
            try Samples.int8Compressed("dscnn", sparsity: 0.8))
        #expect(first.files == second.files)
        #expect(first.header.contains("Options: --sparsity 0.8"))
    }
}

extension Int8ParityTests {
    /// A Dense layer into softmax whose logits span `scale` times the usual range: a wide range
    /// (a coarse input scale) rounds most of the exponential table to 0, a narrow one keeps
    /// every entry.
    @Test(
        "the softmax table stops at its last nonzero exponential (about 30 of 256 for wide logits, all 256 for narrow ones) and stays bit-exact",
        arguments: [(Float(20), 8...64), (Float(0.001), 256...256)])
    func softmaxTableEntries(scale: Float, stored: ClosedRange<Int>) throws {
        var weights = randomTensor([12, 7], seed: 41)
        for i in weights.values.indices { weights.values[i] *= scale }
        var g = GraphBuilder()
        g.input([12])
        try g.dense(weights, bias: Tensor(zeros: [7]), activation: .softmax(axis: -1), name: "classes")
        let graph = g.graph()
        let inputs = Self.randomInputs([12], count: 40, seed: 42)
        let quantized = try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
        let model = try CodeGenerator(options: ConversionOptions()).generate(quantized)
        let declared = try Regex(#"exponentials\[(\d+)\]"#, as: (Substring, Substring).self)
        let entries = try #require(model.source.firstMatch(of: declared).flatMap { Int($0.1) }, "no exponential table in the C")
        #expect(stored.contains(entries), "\(entries) exponentials stored")
        #expect(model.source.contains(".entries = \(entries)"))
        let report = try ParityHarness(options: ConversionOptions(), sanitize: true).verify(quantized, inputs: [inputs])
        #expect(report.passed, "\(report)")
    }
}
