import Foundation

/// Proves generated C right: converts a graph, compiles the C with the host compiler and a
/// small driver, runs it on every sample in one process, and compares each output element
/// with the Swift reference engine (`FloatInference`).
///
/// Everything happens in a temporary folder that is always removed. The tolerance is
/// `1e-5 · max(1, |y|)` for feed-forward models and `1e-4 · max(1, |y|)` for models with a
/// recurrent layer (long chains of state updates amplify libm differences); on the same libm
/// the two usually agree to the last bit, because the kernels add in the reference's order.
public struct ParityHarness: Sendable {
    public var options: ConversionOptions
    public var compiler: CCompiler
    /// Compile with AddressSanitizer and UndefinedBehaviorSanitizer, stopping at the first report.
    public var sanitize: Bool

    public init(options: ConversionOptions = ConversionOptions(), compiler: CCompiler = .host(), sanitize: Bool = false) {
        self.options = options
        self.compiler = compiler
        self.sanitize = sanitize
    }

    /// Optimisation and floating-point flags for the host build. `-ffp-contract=off` keeps
    /// `a * b + c` as two roundings, as in the reference, on hosts with fused multiply-add.
    public static let hostFlags = ["-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Wpedantic"]
    public static let sanitizerFlags = ["-fsanitize=address,undefined,float-cast-overflow", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g"]

    /// The tolerance for `graph`: 1e-4 with a recurrent layer, 1e-5 otherwise.
    public static func tolerance(for graph: Graph) -> Float {
        graph.nodes.contains { if case .recurrent = $0.op { return true } else { return false } } ? 1e-4 : 1e-5
    }

    /// Checks `graph` on `inputs`, one array per model input with samples on the first axis.
    /// `sources` names the arrays in errors; `reshape` accepts samples with the input's element
    /// count but another shape. Returns the report whether or not it passed.
    public func verify(_ graph: Graph, inputs: [NDArray], sources: [String]? = nil, reshape: Bool = false) throws -> ParityReport {
        let engine = try FloatInference(graph: graph)
        let expected = try engine.predict(inputs, sources: sources, reshape: reshape)
        let samples = inputs.first?.sampleCount ?? 0
        let model = try CodeGenerator(options: options).generate(graph)

        let folder = try TemporaryDirectory(prefix: "topiary-verify")
        defer { folder.remove() }
        let build = try DriverBuild(model, driverTemplate: EmbeddedFiles.driverTemplate, in: folder, compiler: compiler, sanitize: sanitize)

        // Inputs: per sample, every input flattened, in input order.
        var raw: [Float] = []
        raw.reserveCapacity(samples * model.inputSizes.reduce(0, +))
        for sample in 0..<samples {
            for (array, size) in zip(inputs, model.inputSizes) {
                raw.append(contentsOf: array.values[(sample * size)..<((sample + 1) * size)])
            }
        }
        try raw.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.f32"))) }
        try build.run(["inputs.f32", "outputs.f32", "\(samples)"])
        let data = (try? Data(contentsOf: URL(fileURLWithPath: folder.file("outputs.f32")))) ?? Data()
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let perSample = model.outputSizes.reduce(0, +)
        guard values.count == samples * perSample else {
            throw ParityError.shortOutput(expected: samples * perSample, got: values.count)
        }
        // Split the interleaved samples back into one array per output.
        var generated = model.outputSizes.map { _ in [Float]() }
        for sample in 0..<samples {
            var offset = sample * perSample
            for (k, size) in model.outputSizes.enumerated() {
                generated[k].append(contentsOf: values[offset..<(offset + size)])
                offset += size
            }
        }
        return ParityReport(generated: generated, reference: expected.map(\.values), outputSizes: model.outputSizes,
                            samples: samples, tolerance: Self.tolerance(for: graph),
                            compileCommand: (compiler.command + build.flags).joined(separator: " "),
                            compilerOutput: build.compilerOutput)
    }
}
