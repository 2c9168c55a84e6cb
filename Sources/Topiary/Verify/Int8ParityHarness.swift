import Foundation

/// Proves the C of an int8 model right: generates it, compiles it with a small driver, runs
/// it on every sample through `NAME_predict_int8_multi` (inputs quantized as
/// `NAME_predict` quantizes them) and through the float `NAME_predict_multi`, and compares
/// with `Int8Inference`. Integer outputs must be identical, with no tolerance at all.
public struct Int8ParityHarness: Sendable {
    public var generator: Int8CodeGenerator
    public var compiler: CCompiler
    public var sanitize: Bool

    public init(generator: Int8CodeGenerator = Int8CodeGenerator(), compiler: CCompiler = .host(), sanitize: Bool = false) {
        self.generator = generator
        self.compiler = compiler
        self.sanitize = sanitize
    }

    /// Checks the int8 `graph` on `inputs`, one array per model input, samples first.
    public func verify(_ graph: Graph, inputs: [NDArray], reshape: Bool = false) throws -> Int8ParityReport {
        try verify(graph, inputs: inputs, reshape: reshape, model: generator.generate(graph).generated)
    }

    /// Checks `model`, the C for `graph` (the tests hand in a deliberately altered one).
    func verify(_ graph: Graph, inputs: [NDArray], reshape: Bool, model: GeneratedModel) throws -> Int8ParityReport {
        let engine = try Int8Inference(graph: graph)
        let samples = try Calibration.samples(from: inputs, for: graph, reshape: reshape, source: "the input data")

        // The reference: int8 outputs of the quantized samples, and the float entry point's.
        let quantized = samples.map(engine.quantize)
        let expected = try quantized.map { try engine.run($0) }
        let expectedFloat = try samples.map { try engine.run(float: $0) }

        let folder = try TemporaryDirectory(prefix: "topiary-verify-int8")
        defer { folder.remove() }
        let build = try DriverBuild(model, driverTemplate: EmbeddedFiles.int8DriverTemplate, in: folder, compiler: compiler, sanitize: sanitize)

        let rawInt8 = quantized.flatMap { $0.flatMap { $0 } }
        try rawInt8.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.s8"))) }
        let rawFloat = samples.flatMap { $0.flatMap(\.values) }
        try rawFloat.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.f32"))) }
        for (mode, input, output) in [("int8", "inputs.s8", "outputs.s8"), ("float", "inputs.f32", "outputs.f32")] {
            try build.run([mode, input, output, "\(samples.count)"])
        }
        let perSample = model.outputSizes.reduce(0, +)
        let generatedInt8 = ((try? Data(contentsOf: URL(fileURLWithPath: folder.file("outputs.s8")))) ?? Data()).map { Int8(bitPattern: $0) }
        let floatData = (try? Data(contentsOf: URL(fileURLWithPath: folder.file("outputs.f32")))) ?? Data()
        let generatedFloat = floatData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        guard generatedInt8.count == samples.count * perSample, generatedFloat.count == samples.count * perSample else {
            throw ParityError.shortOutput(expected: samples.count * perSample, got: min(generatedInt8.count, generatedFloat.count))
        }

        var mismatchedSamples = 0, mismatchedValues = 0, largest = 0, floatMismatches = 0
        var first: Int8ParityReport.Mismatch?
        for sample in samples.indices {
            var offset = sample * perSample
            var differs = false
            for (k, size) in model.outputSizes.enumerated() {
                for e in 0..<size {
                    let c = generatedInt8[offset + e], y = expected[sample][k][e]
                    if c != y {
                        differs = true
                        mismatchedValues += 1
                        largest = max(largest, abs(Int(c) - Int(y)))
                        if first == nil { first = .init(sample: sample, output: k, element: e, generated: c, reference: y) }
                    }
                    if generatedFloat[offset + e].bitPattern != expectedFloat[sample][k].values[e].bitPattern { floatMismatches += 1 }
                }
                offset += size
            }
            if differs { mismatchedSamples += 1 }
        }
        return Int8ParityReport(samples: samples.count, mismatchedSamples: mismatchedSamples, mismatchedValues: mismatchedValues,
                                largestDifference: largest, first: first, floatMismatches: floatMismatches,
                                compileCommand: (compiler.command + build.flags).joined(separator: " "),
                                compilerOutput: build.compilerOutput)
    }
}
