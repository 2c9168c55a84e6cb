import Testing
import Topiary

/// A network whose int8 C must equal the Swift integer reference bit for bit on an emulated
/// Cortex-M: `graph` quantized to int8 on `inputs` (they calibrate it and are then run), changed
/// by `alter` where a test narrows layers after quantization (the Swift reference reads the same
/// altered graph), its C generated with weights stored as `format`.
public struct EmulatedInt8Case: CustomTestStringConvertible, Sendable {
    /// What the network exercises.
    public let testDescription: String
    let graph: @Sendable () throws -> Graph
    let inputs: @Sendable () throws -> NDArray
    let format: FormatChoice
    /// Samples run on the emulator: the first `limit` of `inputs`.
    let limit: Int
    let alter: @Sendable (Graph) throws -> Graph
    /// Expectations on the generated C (the kernels it calls, and how) before it runs.
    let expectSource: @Sendable (String) throws -> Void

    public init(
        _ description: String, graph: @escaping @Sendable () throws -> Graph, inputs: @escaping @Sendable () throws -> NDArray,
        format: FormatChoice = .dense, limit: Int, alter: @escaping @Sendable (Graph) throws -> Graph = { $0 },
        expectSource: @escaping @Sendable (String) throws -> Void = { _ in }
    ) {
        testDescription = description
        self.graph = graph
        self.inputs = inputs
        self.format = format
        self.limit = limit
        self.alter = alter
        self.expectSource = expectSource
    }

    /// Generates the C, checks its source, runs it on the emulated `target` and expects its
    /// outputs equal to those of the Swift integer reference, bit for bit.
    public func expectBitExact(on target: CortexMTarget, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let samples = try inputs()
        let quantized = try alter(quantizedInt8(try graph(), calibratedOn: samples))
        let model = try CodeGenerator(options: ConversionOptions(format: format)).generate(quantized)
        try expectSource(model.source)
        try expectBitExactOnEmulator(model, quantized, samples, on: target, limit: limit, sourceLocation: sourceLocation)
    }
}

/// How many times generated C `source` calls `function`.
public func callCount(of function: String, in source: String) -> Int {
    source.components(separatedBy: function + "(").count - 1
}

extension CortexMTarget {
    /// The cores every int8 kernel is checked on: the Cortex-M4 runs the bodies written for the
    /// DSP extension, the Cortex-M0+ the portable ones.
    public static let withAndWithoutDSP: [CortexMTarget] = [.cortexM4, .cortexM0plus]
}

/// `graph` quantized to int8, calibrated on `inputs`.
public func quantizedInt8(_ graph: Graph, calibratedOn inputs: NDArray) throws -> Graph {
    try Quantizer.quantize(graph, samples: try Calibration.samples(from: [inputs], for: graph))
}

/// Runs `model` on the emulated `target` over the first `limit` samples of `inputs` and
/// expects its outputs equal to those of the Swift integer reference of `graph`, bit for bit.
public func expectBitExactOnEmulator(
    _ model: GeneratedModel, _ graph: Graph, _ inputs: NDArray, on target: CortexMTarget, limit: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let report = try EmulatedProfiler(target: target).profile(model, graph: graph, inputs: [inputs], limit: limit)
    #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
    #expect(report.comparison == "bit-exact", sourceLocation: sourceLocation)
}
