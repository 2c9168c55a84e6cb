import Testing
import Topiary

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
