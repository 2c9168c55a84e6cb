import Foundation

/// Proves generated C right: converts a graph, compiles the C with the host compiler and a
/// small driver, runs it on every sample in one process, and compares each output element
/// with the Swift reference engine of the graph's precision.
///
/// A float model is compared with `FloatInference` within a tolerance: `1e-5 · max(1, |y|)`
/// for feed-forward models and `1e-4 · max(1, |y|)` for models with a recurrent layer (long
/// chains of state updates amplify libm differences); on the same libm the two usually agree
/// to the last bit, because the kernels add in the reference's order. An int8 model is run
/// through `NAME_predict_int8_multi` (inputs quantized as `NAME_predict` quantizes them) and
/// through the float `NAME_predict_multi`, and compared with `Int8Inference` for equality.
///
/// Everything happens in a temporary folder that is always removed.
public struct ParityHarness: Sendable {
    public var options: ConversionOptions
    public var compiler: CCompiler
    /// Compile with AddressSanitizer and UndefinedBehaviorSanitizer, stopping at the first report.
    public var sanitize: Bool
    /// Seconds the compiled driver may run before it is stopped; `nil` scales the limit to the
    /// time the Swift reference took for the same samples (`DriverBuild.timeLimit`).
    public var driverTimeLimit: Double?

    public init(
        options: ConversionOptions = ConversionOptions(), compiler: CCompiler = .host(), sanitize: Bool = false,
        driverTimeLimit: Double? = nil
    ) {
        self.options = options
        self.compiler = compiler
        self.sanitize = sanitize
        self.driverTimeLimit = driverTimeLimit
    }

    /// Optimisation and floating-point flags for the host build. `-ffp-contract=off` keeps
    /// `a * b + c` as two roundings, as in the reference, on hosts with fused multiply-add.
    public static let hostFlags = ["-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Wpedantic"]
    public static let sanitizerFlags = [
        "-fsanitize=address,undefined,float-cast-overflow", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g",
    ]

    /// The tolerance for a float `graph`: 1e-4 with a recurrent layer, 1e-5 otherwise.
    public static func tolerance(for graph: Graph) -> Float {
        graph.nodes.contains { if case .recurrent = $0.op { return true } else { return false } } ? 1e-4 : 1e-5
    }

    /// Checks `graph` on `inputs`, one array per model input with samples on the first axis.
    /// `sources` names the arrays in errors; `reshape` accepts samples with the input's element
    /// count but another shape. Returns the report whether or not it passed.
    public func verify(_ graph: Graph, inputs: [NDArray], sources: [String]? = nil, reshape: Bool = false) throws -> ParityReport {
        try verify(graph, inputs: inputs, sources: sources, reshape: reshape, model: nil)
    }

    /// Checks `model`, the C for `graph` (the tests hand in a deliberately altered one), or the
    /// C the options generate when `model` is nil.
    func verify(_ graph: Graph, inputs: [NDArray], sources: [String]?, reshape: Bool, model: GeneratedModel?) throws -> ParityReport {
        switch graph.precision {
        case .float32: return try verifyFloat(graph, inputs: inputs, sources: sources, reshape: reshape, model: model)
        case .int8: return try verifyInt8(graph, inputs: inputs, sources: sources, reshape: reshape, model: model)
        }
    }

    private func verifyFloat(
        _ graph: Graph, inputs: [NDArray], sources: [String]?, reshape: Bool,
        model given: GeneratedModel?
    ) throws -> ParityReport {
        let clock = ContinuousClock()
        let started = clock.now
        let expected = try FloatInference(graph: graph).predict(inputs, sources: sources, reshape: reshape)
        let timeLimit = driverTimeLimit ?? DriverBuild.timeLimit(referenceSeconds: (clock.now - started).seconds)
        let samples = inputs.first?.sampleCount ?? 0
        let model = try given ?? CodeGenerator(options: options).generate(graph)

        let folder = try TemporaryDirectory(prefix: "topiary-verify")
        defer { folder.remove() }
        let build = try DriverBuild(model, in: folder, compiler: compiler, sanitize: sanitize)

        // Inputs: per sample, every input flattened, in input order.
        var raw: [Float] = []
        raw.reserveCapacity(samples * model.inputSizes.reduce(0, +))
        for sample in 0..<samples {
            for (array, size) in zip(inputs, model.inputSizes) {
                raw.append(contentsOf: array.values[(sample * size)..<((sample + 1) * size)])
            }
        }
        try raw.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.f32"))) }
        try build.run(["float", "inputs.f32", "outputs.f32", "\(samples)"], timeLimit: timeLimit)
        let values: [Float] = build.read("outputs.f32")
        let perSample = model.outputSizes.reduce(0, +)
        guard values.count == samples * perSample else {
            throw ParityError.shortOutput(expected: samples * perSample, got: values.count)
        }
        return ParityReport(
            comparison: .tolerance(Self.tolerance(for: graph)),
            generated: Self.perOutput(values, sizes: model.outputSizes, samples: samples),
            reference: expected.map(\.values), outputSizes: model.outputSizes, samples: samples,
            compileCommand: (compiler.command + build.flags).joined(separator: " "),
            compilerOutput: build.compilerOutput)
    }

    private func verifyInt8(
        _ graph: Graph, inputs: [NDArray], sources: [String]?, reshape: Bool,
        model given: GeneratedModel?
    ) throws -> ParityReport {
        let engine = try Int8Inference(graph: graph)
        let samples = try Calibration.samples(
            from: inputs, for: graph, reshape: reshape,
            source: sources?.joined(separator: ", ") ?? "the input data")
        // The reference: int8 outputs of the quantized samples, and the float entry point's.
        let clock = ContinuousClock()
        let started = clock.now
        let quantized = samples.map(engine.quantize)
        let expected = try quantized.map { try engine.run($0) }
        let expectedFloat = try samples.map { try engine.run(float: $0) }
        let timeLimit = driverTimeLimit ?? DriverBuild.timeLimit(referenceSeconds: (clock.now - started).seconds)
        let model = try given ?? CodeGenerator(options: options).generate(graph)

        let folder = try TemporaryDirectory(prefix: "topiary-verify-int8")
        defer { folder.remove() }
        let build = try DriverBuild(model, in: folder, compiler: compiler, sanitize: sanitize)

        let rawInt8 = quantized.flatMap { $0.flatMap { $0 } }
        try rawInt8.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.s8"))) }
        let rawFloat = samples.flatMap { $0.flatMap(\.values) }
        try rawFloat.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.f32"))) }
        for (mode, input, output) in [("int8", "inputs.s8", "outputs.s8"), ("float", "inputs.f32", "outputs.f32")] {
            try build.run([mode, input, output, "\(samples.count)"], timeLimit: timeLimit)
        }
        let perSample = model.outputSizes.reduce(0, +)
        let generatedInt8: [Int8] = build.read("outputs.s8")
        let generatedFloat: [Float] = build.read("outputs.f32")
        guard generatedInt8.count == samples.count * perSample, generatedFloat.count == samples.count * perSample else {
            throw ParityError.shortOutput(expected: samples.count * perSample, got: min(generatedInt8.count, generatedFloat.count))
        }

        // The float entry point must give the reference's dequantized values to the bit.
        let referenceFloat = samples.indices.flatMap { sample in expectedFloat[sample].flatMap(\.values) }
        let floatMismatches = zip(generatedFloat, referenceFloat).filter { $0.bitPattern != $1.bitPattern }.count
        let referenceInt8 = samples.indices.flatMap { sample in expected[sample].flatMap { $0 } }
        return ParityReport(
            comparison: .exact,
            generated: Self.perOutput(generatedInt8.map(Float.init), sizes: model.outputSizes, samples: samples.count),
            reference: Self.perOutput(referenceInt8.map(Float.init), sizes: model.outputSizes, samples: samples.count),
            outputSizes: model.outputSizes, samples: samples.count, floatMismatches: floatMismatches,
            compileCommand: (compiler.command + build.flags).joined(separator: " "),
            compilerOutput: build.compilerOutput)
    }

    /// Splits values stored sample by sample (every output of a sample in turn) into one flat
    /// array per output.
    private static func perOutput(_ values: [Float], sizes: [Int], samples: Int) -> [[Float]] {
        let perSample = sizes.reduce(0, +)
        var result = sizes.map { _ in [Float]() }
        for sample in 0..<samples {
            var offset = sample * perSample
            for (k, size) in sizes.enumerated() {
                result[k].append(contentsOf: values[offset..<(offset + size)])
                offset += size
            }
        }
        return result
    }
}
