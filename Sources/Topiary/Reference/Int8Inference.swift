import Foundation

/// Integer inference of an int8 graph (one the `Quantizer` produced): exactly the arithmetic
/// of the generated C (`NAME_predict_int8`), so `topiary verify` can require zero mismatches.
///
/// Like `FloatInference`, building the engine checks the whole graph and prepares one kernel
/// per node; the engine is immutable and may run samples on several threads at once.
public struct Int8Inference: Sendable {
    public let graph: Graph
    let kernels: NodeKernels<any Int8Kernel>

    public init(graph: Graph) throws {
        self.graph = graph
        guard graph.precision == .int8 else {
            throw InferenceError(.invalidGraph, "the model is not quantized to int8; quantize it first")
        }
        kernels = try NodeKernels(graph) { try Self.makeKernel($0, graph: graph) }
    }

    /// The int8 encoding of each model input, in order.
    public var inputQuantization: [QuantizationParameters] { graph.inputs.map { graph.nodes[$0].quantization!.output! } }
    /// The int8 encoding of each model output, in order.
    public var outputQuantization: [QuantizationParameters] { graph.outputs.map { graph.nodes[$0].quantization!.output! } }
    public var inputShapes: [[Int]] { graph.inputs.map { graph.nodes[$0].outputShape } }
    public var outputShapes: [[Int]] { graph.outputs.map { graph.nodes[$0].outputShape } }

    /// Runs one sample given as int8 inputs (flat, channels-last); returns the int8 outputs.
    public func run(_ inputs: [[Int8]]) throws -> [[Int8]] {
        let values = try evaluate(inputs, keepAll: false)
        return graph.outputs.map { values[$0]! }
    }

    /// Runs one sample and returns every node's int8 output, in node order.
    public func runAllNodes(_ inputs: [[Int8]]) throws -> [[Int8]] {
        try evaluate(inputs, keepAll: true).map { $0! }
    }

    /// The float entry point: quantizes the float inputs, runs, dequantizes the outputs, with
    /// the single-precision steps of the generated `NAME_predict`.
    public func run(float inputs: [Tensor]) throws -> [Tensor] {
        let outputs = try run(quantize(inputs))
        return outputs.indices.map { k in
            Tensor(shape: outputShapes[k], values: outputs[k].map(outputQuantization[k].dequantize))
        }
    }

    /// Float inputs quantized as the generated `NAME_predict` quantizes them.
    public func quantize(_ inputs: [Tensor]) -> [[Int8]] {
        zip(inputs, inputQuantization).map { tensor, q in tensor.values.map(q.quantize) }
    }

    private func evaluate(_ inputs: [[Int8]], keepAll: Bool) throws -> [[Int8]?] {
        guard inputs.count == graph.inputs.count else {
            throw InferenceError(.badInput, "the model takes \(graph.inputs.count) input(s), but \(inputs.count) were given")
        }
        for (position, index) in graph.inputs.enumerated() {
            let expected = graph.nodes[index].outputShape.elementCount
            guard inputs[position].count == expected else {
                throw InferenceError(
                    .badInput, "model input '\(graph.nodes[index].name)' expects \(expected) values, got \(inputs[position].count)")
            }
        }
        return try kernels.evaluate(graph, inputs, keepAll: keepAll) { try $0.forward($1) }
    }

    /// Runs every sample of `arrays` (one per model input, samples along the first axis)
    /// through the float entry point, in parallel; one array per model output.
    public func predict(_ arrays: [NDArray], reshape: Bool = false) throws -> [NDArray] {
        let samples = try graph.inputSamples(arrays, reshape: reshape)
        let all = try concurrentMap(samples.count) {
            try run(float: samples[$0])
        } failing: { i, error in
            InferenceError(.badInput, "sample \(i): \(error)")
        }
        return outputShapes.enumerated().map { k, shape in NDArray(stacking: all.map { $0[k] }, sampleShape: shape) }
    }
}
