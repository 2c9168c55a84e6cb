import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("int8 quantization")
struct QuantizerTests {
    static func quantized(_ name: String, sparsity: Double = 0) throws -> Graph {
        let graph = try Samples.graph(name)
        var options = CompressionOptions(quantization: .int8)
        if sparsity > 0 { options.pruning = PruningOptions(target: .uniform(sparsity)) }
        return try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph)).graph
    }

    @Test("int8 accuracy on the test digits stays within 2 points of float", arguments: Samples.digitModels)
    func accuracy(_ name: String) throws {
        let graph = try Samples.graph(name)
        let (inputs, labels) = try Samples.testData(name)
        let float = try Samples.accuracy(FloatInference(graph: graph).predict([inputs], reshape: true)[0], labels)
        let int8 = try Int8Inference(graph: Self.quantized(name))
        let quantizedAccuracy = try Samples.accuracy(int8.predict([inputs], reshape: true)[0], labels)
        #expect(quantizedAccuracy >= float - 0.02, "\(name): float \(float), int8 \(quantizedAccuracy)")
    }

    @Test("every node is quantized; weights are symmetric int8 in [-127, 127]", arguments: Samples.digitModels)
    func structure(_ name: String) throws {
        let graph = try Self.quantized(name)
        for node in graph.nodes {
            let q = try #require(node.quantization, "\(node.name) has no quantization")
            #expect(q.output != nil)
            if case let .weighted(layer) = q.arithmetic {
                #expect(layer.weights.allSatisfy { $0 >= -127 })
                #expect(layer.weightScales.allSatisfy { $0 > 0 })
                #expect(layer.requantization.allSatisfy { $0.shift >= -31 && $0.shift <= 30 })
            }
            if case .float = q.arithmetic { Issue.record("\(name)/\(node.name) stayed float") }
        }
    }

    @Test("bias: int32 at scale s_in·s_w[c] with −zp_in·Σw folded in; the multiplier is s_in·s_w/s_out")
    func biasFold() throws {
        let graph = try Self.quantized("mlp")
        let index = graph.index(named: "fc2")!
        let node = graph.nodes[index]
        guard case let .weighted(layer) = node.quantization!.arithmetic else { Issue.record("fc2 is not weighted"); return }
        let input = graph.nodes[node.inputs[0]].quantization!.output!
        let output = node.quantization!.output!
        let bias = node.weights[.bias]!.values
        for c in 0..<layer.outputChannels {
            let sum = layer.row(c).reduce(Int64(0)) { $0 + Int64($1) }
            let raw = (Double(bias[c]) / (Double(input.scale) * Double(layer.weightScales[c]))).rounded()
            #expect(Int64(layer.bias[c]) == Int64(raw) - Int64(input.zeroPoint) * sum)
            let real = Double(input.scale) * Double(layer.weightScales[c]) / Double(output.scale)
            #expect(abs(layer.requantization[c].realValue - real) <= real * 1e-9)
        }
        // fc2 has a fused ReLU: the clamp starts at the zero point.
        #expect(layer.outputMin == output.zeroPoint)
    }

    @Test("a channel refitted to almost nothing keeps its bias: its scale rises until the bias fits, and its weights round to zero")
    func negligibleChannel() throws {
        var graph = try Samples.graph("mlp")
        let index = graph.index(named: "fc2")!
        let kernel = graph.nodes[index].weights[.kernel]!
        let channels = kernel.shape.last!
        // Channel 0 keeps a few weights of the smallest normal float (what a refit that
        // solved to zero writes, so that a kept weight is never an exact zero).
        var values = kernel.values
        for i in stride(from: 0, to: values.count, by: channels) { values[i] = i % 3 == 0 ? .leastNormalMagnitude : 0 }
        graph.nodes[index].weights[.kernel] = Tensor(shape: kernel.shape, values: values)
        var bias = graph.nodes[index].weights[.bias]!.values
        bias[0] = 0.2
        graph.nodes[index].weights[.bias] = Tensor(shape: [channels], values: bias)

        let quantized = try CompressionPipeline.run(
            graph, options: CompressionOptions(quantization: .int8),
            calibration: try Samples.calibration(for: graph)
        ).graph
        let node = quantized.nodes[quantized.index(named: "fc2")!]
        guard case let .weighted(layer) = node.quantization!.arithmetic else { Issue.record("fc2 is not weighted"); return }
        let input = quantized.nodes[node.inputs[0]].quantization!.output!
        #expect(layer.row(0).allSatisfy { $0 == 0 })
        let steps = Double(0.2 as Float) / (Double(input.scale) * Double(layer.weightScales[0]))
        #expect(steps <= WeightedLayerQuantization.biasSteps * 1.0001 && steps > 1e6, "\(steps) steps")
        #expect(layer.requantization[0].multiplier != 0, "the bias still reaches the output")
        // The channel's output is its bias, as in float.
        let (inputs, _) = try Samples.testData("mlp")
        let engine = try Int8Inference(graph: quantized)
        let sample = engine.quantize([Tensor(shape: [64], values: Array(inputs.values.prefix(64)))])
        let code = try engine.runAllNodes(sample)[quantized.index(named: "fc2")!][0]
        let output = node.quantization!.output!
        #expect(abs(output.dequantize(code) - 0.2) <= output.scale)
    }

    @Test("pruned zeros stay zero after quantization")
    func zerosStay() throws {
        let graph = try Self.quantized("mlp", sparsity: 0.8)
        guard case let .weighted(layer) = graph.nodes[graph.index(named: "fc1")!].quantization!.arithmetic else { return }
        #expect(Double(layer.weights.filter { $0 == 0 }.count) >= 0.8 * Double(layer.weights.count) - 1)
    }

    @Test("softmax splits from fc3 and uses the fixed output quantization and an exponential table")
    func softmax() throws {
        let graph = try Self.quantized("mlp")
        let last = graph.nodes[graph.outputs[0]]
        #expect(last.name == "fc3/activation")
        #expect(last.quantization!.output == SoftmaxTable.outputQuantization)
        guard case let .softmax(table) = last.quantization!.arithmetic else { Issue.record("not a softmax"); return }
        #expect(table.exponentials[0] == 32768)
        #expect(zip(table.exponentials, table.exponentials.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test("lookup tables: the float function at each dequantized input, quantized")
    func lookupTable() throws {
        let input = QuantizationParameters(scale: 0.05, zeroPoint: 3)
        let output = QuantizationParameters(scale: 1.0 / 255, zeroPoint: -128)
        let table = ActivationTables.lookup(.sigmoid, input: input, output: output)
        #expect(table.count == 256)
        for q in [-128, -20, 3, 50, 127] {
            let x = 0.05 * Float(q - 3)
            let expected = (1 / (1 + exp(-x))) * 255 - 128
            #expect(abs(Float(table[q + 128]) - expected) <= 0.5001)
        }
    }

    @Test("preparation is float-exact: separable split, activations split and ReLUs fused", arguments: ["cnn", "dscnn", "residual", "mlp"])
    func preparationExact(_ name: String) throws {
        let graph = try BatchNormFolding.apply(try Samples.graph(name))
        let prepared = try QuantizationPreparation.apply(graph)
        let a = try FloatInference(graph: graph), b = try FloatInference(graph: prepared)
        for sample in try Samples.testSamples(name, for: graph, limit: 30) {
            #expect(try a.run(sample)[0].values == b.run(sample)[0].values)
        }
        #expect(!prepared.nodes.contains { if case .separableConv = $0.op { return true } else { return false } })
        if name == "cnn" { #expect(prepared.index(named: "relu1") == nil) }
    }

    @Test("int8-weights: per-channel int8 storage whose dequantized values the float graph uses")
    func weightsOnly() throws {
        let graph = try Samples.graph("cnn")
        let compressed = try CompressionPipeline.run(graph, options: CompressionOptions(quantization: .int8Weights)).graph
        let node = compressed.nodes[compressed.index(named: "fc1")!]
        let stored = try #require(node.quantization?.storedWeights[.kernel])
        #expect(stored.scales.count == 32)
        #expect(node.weights[.kernel]!.values == stored.dequantized)
        let (inputs, labels) = try Samples.testData("cnn")
        let accuracy = try Samples.accuracy(FloatInference(graph: compressed).predict([inputs], reshape: true)[0], labels)
        #expect(accuracy >= 0.96)
    }

    @Test("calibration methods give nested ranges on skewed data", arguments: CalibrationMethod.allCases)
    func calibrationMethods(_ method: CalibrationMethod) {
        var values = (0..<10_000).map { Float($0 % 100) / 100 }
        values.append(50)  // one outlier
        let range = Calibration.range(of: values, method: method)
        #expect(range.lowerBound >= 0)
        switch method {
        case .minmax: #expect(range.upperBound == 50)
        case .percentile, .mse: #expect(range.upperBound < 50)
        }
    }

    @Test("an Embedding model cannot be quantized to int8, with the layer named")
    func embeddingRefused() throws {
        var g = GraphBuilder()
        g.input([3])
        try g.add(.embedding(inputDim: 5, outputDim: 2), weights: [.embeddings: randomTensor([5, 2], seed: 1)], name: "embed")
        let graph = g.graph()
        do {
            _ = try Quantizer.quantize(graph, samples: [[Tensor(shape: [3], values: [0, 1, 4])]])
            Issue.record("an Embedding was quantized")
        } catch let error as CompressionError {
            #expect(error.layer == "embed")
        }
    }
}
