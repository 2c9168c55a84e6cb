import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Every backward pass fine-tuning uses agrees with central finite differences of its forward
/// pass: the gradient of a fixed random linear function of the model's output with respect to
/// every trainable parameter (and so, through the layer before the op under test, with
/// respect to the op's inputs).
@Suite struct GradientCheckTests {
    /// Seeded values in `range`, shaped.
    static func random(_ shape: [Int], _ seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
        randomTensor(shape, in: range, seed: seed)
    }

    /// Analytic against numeric gradients for every parameter of `graph`; `h` is the step.
    /// The parameters of `frozen` layers must get no gradient at all.
    static func check(
        _ graph: Graph, h: Float = 1e-2, seed: UInt64 = 7, frozen: Set<String> = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let net = try TrainingGraph(graph)
        #expect(!net.parameters.isEmpty, sourceLocation: sourceLocation)
        let values = net.parameterValues(graph)
        let inputs = graph.inputs.enumerated().map { k, node in random(graph.nodes[node].outputShape, seed + UInt64(k) * 17).values }
        let outputShape = graph.nodes[graph.outputs[0]].outputShape
        let coefficients = random(outputShape, seed + 99).values
        func loss(_ values: [[Float]]) throws -> Double {
            let y = try net.forward(inputs, values).y[graph.outputs[0]]
            return zip(y, coefficients).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let pass = try net.forward(inputs, values)
        var gradients = values.map { [Float](repeating: 0, count: $0.count) }
        net.backward(pass, values, seeds: [graph.outputs[0]: (coefficients, false)], into: &gradients)
        for k in values.indices {
            if frozen.contains(graph.nodes[net.parameters[k].node].layerName) {
                #expect(gradients[k].allSatisfy { $0 == 0 }, sourceLocation: sourceLocation)
                continue
            }
            for i in values[k].indices {
                let numeric = try centralDifference(
                    of: { parameter in
                        var changed = values
                        changed[k] = parameter
                        return try loss(changed)
                    }, at: values[k], element: i, step: h)
                let analytic = Double(gradients[k][i])
                let error = abs(numeric - analytic) / (1e-2 + abs(numeric))
                #expect(
                    error < 0.02,
                    "parameter \(k) (\(net.parameters[k].role.rawValue) of node \(net.parameters[k].node)) [\(i)]: analytic \(analytic), numeric \(numeric)",
                    sourceLocation: sourceLocation)
                if error >= 0.02 { return }
            }
        }
    }

    @Test(
        "Dense, and every element-wise activation and softmax after it",
        arguments: [
            Activation.linear, .plainRelu, .relu(negativeSlope: 0, maxValue: 6, threshold: 0),
            .relu(negativeSlope: 0.2, maxValue: nil, threshold: 0), .sigmoid, .hardSigmoid, .hardSigmoidKeras2, .tanh,
            .softmax(axis: 0), .logSoftmax(axis: 0), .elu(alpha: 1), .selu, .softplus, .softsign, .swish,
            .gelu(approximate: false), .gelu(approximate: true), .exponential, .hardSwish, .mish,
        ])
    func denseActivations(_ activation: Activation) throws {
        var g = GraphBuilder()
        g.input([5])
        try g.seededDense(6, activation, seed: 1)
        try g.seededDense(3, .linear, seed: 3)
        // Steps small enough not to cross the rectifiers' kinks.
        try Self.check(g.graph(), h: 2e-3)
    }

    @Test("Conv2D 'same' with stride 2, Conv2D 'valid' with dilation 2, Conv1D 'causal'")
    func convolutions() throws {
        var g = GraphBuilder()
        g.input([7, 6, 2])
        try g.seededConv(3, kernel: [3, 3], strides: [2, 2], seed: 10)
        try g.seededConv(2, kernel: [2, 2], dilation: [2, 1], padding: .valid, activation: .sigmoid, seed: 12)
        try Self.check(g.graph())

        var one = GraphBuilder()
        one.input([9, 2])
        try one.seededConv(3, kernel: [3], dilation: [2], padding: .causal, seed: 14)
        try one.seededConv(2, kernel: [2], strides: [2], padding: .valid, activation: .linear, seed: 16)
        try Self.check(one.graph())
    }

    @Test("DepthwiseConv2D with multiplier 2 and SeparableConv2D, between convolutions")
    func depthwiseAndSeparable() throws {
        var g = GraphBuilder()
        g.input([6, 5, 2])
        try g.seededConv(3, kernel: [1, 1], seed: 20)
        try g.add(
            .depthwiseConv(
                DepthwiseConvolution(
                    depthMultiplier: 2, kernelSize: [3, 3], strides: [1, 2], dilation: [1, 1],
                    padding: .same, useBias: true, activation: .tanh)),
            weights: [.depthwiseKernel: Self.random([3, 3, 3, 2], 22), .bias: Self.random([6], 23, in: -0.3...0.3)])
        try g.add(
            .separableConv(
                SeparableConvolution(
                    filters: 4, depthMultiplier: 1, kernelSize: [2, 2], strides: [1, 1], dilation: [1, 1],
                    padding: .valid, useBias: true, activation: .sigmoid)),
            weights: [
                .depthwiseKernel: Self.random([2, 2, 6, 1], 24), .pointwiseKernel: Self.random([1, 1, 6, 4], 25),
                .bias: Self.random([4], 26, in: -0.3...0.3),
            ])
        try Self.check(g.graph())
    }

    @Test("max and average pooling ('same', odd input), global max and average pooling")
    func pooling() throws {
        for kind in [PoolKind.max, .average] {
            var g = GraphBuilder()
            g.input([5, 5, 2])
            try g.seededConv(3, kernel: [1, 1], seed: 30)
            try g.add(.pool(Pooling(kind: kind, poolSize: [2, 2], strides: [2, 2], padding: .same)))
            try g.seededConv(2, kernel: [1, 1], seed: 32)
            try g.add(.globalPool(GlobalPooling(kind: kind, rank: 2, keepDims: false)))
            try Self.check(g.graph(), h: 1e-3)
        }
    }

    @Test("BatchNorm on its own, and folded into the convolution before it")
    func batchNorm() throws {
        var g = GraphBuilder()
        g.input([4, 4, 2])
        try g.seededConv(3, kernel: [2, 2], activation: .linear, seed: 40)
        try g.add(.batchNorm(BatchNorm(axis: 2, epsilon: 1e-3)), weights: batchNormWeights(3))
        try g.add(.activation(.tanh))
        try g.add(.flatten)
        try g.seededDense(2, .linear, seed: 42)
        let graph = g.graph()
        try Self.check(graph)
        let folded = try BatchNormFolding.apply(graph)
        #expect(!folded.nodes.contains { if case .batchNorm = $0.op { return true } else { return false } })
        try Self.check(folded)
    }

    @Test(
        "Add, Subtract, Multiply, Average, Maximum, Minimum and Concatenate of two branches",
        arguments: [MergeKind.add, .subtract, .multiply, .average, .maximum, .minimum])
    func merges(_ kind: MergeKind) throws {
        var g = GraphBuilder()
        let input = g.input([4])
        let left = try g.seededDense(3, seed: 50, from: [input])
        let right = try g.seededDense(3, .sigmoid, seed: 52, from: [input])
        try g.add(.merge(kind), from: [left, right])
        let joined = try g.add(.concatenate(axis: 0), from: [g.nodes.count - 1, left])
        try g.seededDense(2, .linear, seed: 54, from: [joined])
        try Self.check(g.graph(), h: 1e-3)
    }

    @Test("Flatten, Reshape, ZeroPadding, Cropping, UpSampling and Permute between convolutions")
    func shapeOps() throws {
        var g = GraphBuilder()
        g.input([4, 3, 2])
        try g.seededConv(2, kernel: [1, 1], seed: 60)
        try g.add(.move(.zeroPadding(padding: [Pair(1, 0), Pair(0, 2)])))
        try g.add(.move(.cropping(cropping: [Pair(0, 1), Pair(1, 0)])))
        try g.add(.move(.upSampling(size: [1, 2])))
        try g.add(.move(.permute(dims: [1, 0, 2])))
        try g.seededConv(2, kernel: [2, 2], padding: .valid, seed: 62)
        try g.add(.reshape(targetShape: [6, 7]))
        try g.add(.flatten)
        try g.seededDense(2, .linear, seed: 64)
        try Self.check(g.graph())
    }

    @Test("the distillation loss's gradient on the logits matches its finite differences, with and without a label")
    func distillationLoss() throws {
        let teacher = Self.random([5], 70, in: -2...2).values
        let student = Self.random([5], 71, in: -2...2).values
        for label in [nil, 3] as [Int?] {
            let target = DistillationLoss.target(y: [], z: teacher, classifier: true, rowLength: 5, temperature: 2, label: label)
            let analytic = DistillationLoss.evaluate(target, y: student, z: student, temperature: 2).gradient
            for i in student.indices {
                let numeric = centralDifference(
                    of: { DistillationLoss.evaluate(target, y: $0, z: $0, temperature: 2).loss }, at: student, element: i, step: 1e-2)
                #expect(abs(numeric - Double(analytic[i])) < 2e-3, "logit \(i), label \(String(describing: label))")
            }
        }
        let regression = DistillationLoss.evaluate(.values([1, 2]), y: [1.5, 1], z: nil, temperature: 2)
        #expect(regression.loss == 0.625)
        #expect(regression.gradient == [0.5, -1])
    }

    @Test("a recurrent layer has no backward pass: it and the layers only it leads from are frozen")
    func recurrentFrozen() throws {
        var g = GraphBuilder()
        g.input([3, 2])
        try g.seededDense(4, seed: 80, name: "before")
        try g.add(
            .recurrent(
                Recurrent(
                    kind: .simpleRNN, units: 3, activation: .tanh, recurrentActivation: .sigmoid, useBias: true,
                    returnSequences: false, goBackwards: false, resetAfter: false)),
            weights: [.kernel: Self.random([4, 3], 82), .recurrentKernel: Self.random([3, 3], 83), .bias: Self.random([3], 84)],
            name: "rnn")
        try g.seededDense(2, .linear, seed: 86, name: "after")
        let net = try TrainingGraph(g.graph())
        #expect(net.frozenLayers == ["before", "rnn"])
        try Self.check(g.graph(), frozen: ["before"])
    }
}

extension GraphBuilder {
    /// Adds a Dense layer of `units` over the last axis of `from` (default: the last node), its
    /// kernel seeded from `seed` in -1...1 and its bias from `seed + 1` in -0.3...0.3, and
    /// returns its index.
    @discardableResult
    fileprivate mutating func seededDense(
        _ units: Int, _ activation: Activation = .tanh, seed: UInt64, from: [Int]? = nil, name: String? = nil
    ) throws -> Int {
        let inputs = nodes[from?.first ?? nodes.count - 1].outputShape.last ?? 0
        return try add(
            .dense(Dense(units: units, useBias: true, activation: activation)), from: from,
            weights: [
                .kernel: randomTensor([inputs, units], seed: seed), .bias: randomTensor([units], in: -0.3...0.3, seed: seed + 1),
            ], name: name)
    }

    /// Adds a convolution of `filters` (1D or 2D, by the rank of `kernel`; strides and dilation
    /// 1 unless given) over the last node, its kernel seeded from `seed` in -0.6...0.6 and its
    /// bias from `seed + 1` in -0.3...0.3.
    fileprivate mutating func seededConv(
        _ filters: Int, kernel: [Int], strides: [Int]? = nil, dilation: [Int]? = nil, padding: Padding = .same,
        activation: Activation = .tanh, seed: UInt64
    ) throws {
        let ones = kernel.map { _ in 1 }
        let channels = nodes[nodes.count - 1].outputShape.last ?? 0
        try add(
            .conv(
                Convolution(
                    filters: filters, kernelSize: kernel, strides: strides ?? ones, dilation: dilation ?? ones,
                    padding: padding, useBias: true, activation: activation)),
            weights: [
                .kernel: randomTensor(kernel + [channels, filters], in: -0.6...0.6, seed: seed),
                .bias: randomTensor([filters], in: -0.3...0.3, seed: seed + 1),
            ])
    }
}
