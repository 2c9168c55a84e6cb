/// Runs a graph the compression passes produced with the engine its arithmetic needs: the
/// integer reference for an int8 graph, the float reference otherwise (a pruned or
/// int8-weights graph computes in float on its compressed weights).
public enum CompressedPrediction {
    /// True when `graph` came out of int8 quantization.
    public static func isInt8(_ graph: Graph) -> Bool {
        graph.nodes.allSatisfy { $0.quantization?.output != nil }
    }

    /// One array per model output for the samples of `arrays` (samples along the first axis).
    public static func predict(_ graph: Graph, _ arrays: [NDArray], sources: [String]? = nil, reshape: Bool = false) throws -> [NDArray] {
        if isInt8(graph) {
            return try Int8Inference(graph: graph).predict(arrays, reshape: reshape)
        }
        return try FloatInference(graph: graph).predict(arrays, sources: sources, reshape: reshape)
    }
}
