/// Float32 inference of a `Graph`, matching Keras's own predictions: the reference the C code
/// and the compressed models are measured against.
///
/// Building the engine checks the whole graph up front (`Graph.validate()`, then every weight
/// present with the shape its op documents as each kernel reads it) and prepares one kernel
/// per node; `run` then evaluates one sample. The engine is an immutable value, so one
/// instance may run samples on several threads at once (see `run(batch:)`).
public struct FloatInference: Sendable {
    public let graph: Graph
    let kernels: NodeKernels<any FloatKernel>

    public init(graph: Graph) throws {
        self.graph = graph
        kernels = try NodeKernels(graph) { node in
            if case .input = node.op { return nil }
            return try Self.makeKernel(node, inputShapes: node.inputs.map { graph.nodes[$0].outputShape })
        }
    }

    /// The shapes (batch excluded) the model's inputs expect, in order.
    public var inputShapes: [[Int]] { graph.inputs.map { graph.nodes[$0].outputShape } }
    /// The shapes (batch excluded) of the model's outputs, in order.
    public var outputShapes: [[Int]] { graph.outputs.map { graph.nodes[$0].outputShape } }
    /// The model's input names, in order.
    public var inputNames: [String] { graph.inputs.map { graph.nodes[$0].name } }
    /// The model's output names (the nodes producing them), in order.
    public var outputNames: [String] { graph.outputs.map { graph.nodes[$0].name } }

    /// Runs one sample: one tensor per model input, each of the input's shape (no batch axis).
    /// Returns one tensor per model output.
    public func run(_ inputs: [Tensor]) throws -> [Tensor] {
        let values = try evaluate(inputs, keepAll: false)
        return graph.outputs.map { values[$0]! }
    }

    /// Runs one sample and returns the output of every node, in node order: what calibration
    /// and layer-by-layer comparisons need.
    public func runAllNodes(_ inputs: [Tensor]) throws -> [Tensor] {
        try evaluate(inputs, keepAll: true).map { $0! }
    }

    private func evaluate(_ inputs: [Tensor], keepAll: Bool) throws -> [Tensor?] {
        guard inputs.count == graph.inputs.count else {
            throw InferenceError(
                .badInput,
                "the model takes \(graph.inputs.count) input(s) (\(inputNames.joined(separator: ", "))), but \(inputs.count) were given")
        }
        for (position, index) in graph.inputs.enumerated() {
            let node = graph.nodes[index]
            guard inputs[position].shape == node.outputShape else {
                throw InferenceError(
                    .badInput,
                    "model input '\(node.name)' expects shape \(node.outputShape), got \(inputs[position].shape)")
            }
        }
        return try kernels.evaluate(graph, inputs, keepAll: keepAll) { try $0.forward($1) }
    }
}
