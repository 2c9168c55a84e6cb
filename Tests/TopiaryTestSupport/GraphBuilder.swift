import Topiary

/// Builds small graphs by hand for the unit tests: an input node followed by the nodes
/// added, each one's output shape computed by `Op.outputShape(for:)`.
public struct GraphBuilder {
    public var nodes: [Node] = []
    public var inputs: [Int] = []

    public init() {}

    /// Adds a model input of `shape` and returns its index.
    @discardableResult
    public mutating func input(_ shape: [Int], name: String? = nil) -> Int {
        nodes.append(Node(name: name ?? "input_\(inputs.count)", kerasClass: "InputLayer", op: .input, inputs: [], outputShape: shape))
        inputs.append(nodes.count - 1)
        return nodes.count - 1
    }

    /// Adds `op` reading `from` (default: the last node) and returns its index.
    @discardableResult
    public mutating func add(
        _ op: Op, from: [Int]? = nil, weights: [WeightRole: Tensor] = [:], name: String? = nil,
        kerasClass: String = "Layer"
    ) throws -> Int {
        let sources = from ?? [nodes.count - 1]
        let shape = try op.outputShape(for: sources.map { nodes[$0].outputShape })
        nodes.append(
            Node(
                name: name ?? "node_\(nodes.count)", kerasClass: kerasClass, op: op, inputs: sources,
                outputShape: shape, weights: weights))
        return nodes.count - 1
    }

    /// Adds a Dense layer of `kernel` (`[inputs, units]`), with `bias` when given, reading
    /// `from` (default: the last node), and returns its index.
    @discardableResult
    public mutating func dense(
        _ kernel: Tensor, bias: Tensor? = nil, activation: Activation = .linear, from: [Int]? = nil, name: String? = nil
    ) throws -> Int {
        var weights: [WeightRole: Tensor] = [.kernel: kernel]
        weights[.bias] = bias
        return try add(
            .dense(Dense(units: kernel.shape[1], useBias: bias != nil, activation: activation)), from: from, weights: weights,
            name: name)
    }

    /// Adds a square convolution of `filters` (padded as `padding`, 'same' by default) with bias
    /// and ReLU, its kernel and bias seeded values in -1...1 from `seed` and `seed + 1`, reading
    /// `from` (default: the last node), and returns its index. With `keep` above 1 the kernel
    /// keeps one weight in `keep`.
    @discardableResult
    public mutating func seededConvolution(
        _ filters: Int, kernel: Int, stride: Int = 1, padding: Padding = .same, seed: UInt64, keep: Int = 1,
        from: [Int]? = nil, name: String
    ) throws -> Int {
        let channels = nodes[from?.first ?? nodes.count - 1].outputShape.last ?? 0
        var weights = randomTensor([kernel, kernel, channels, filters], seed: seed)
        for i in weights.values.indices where i % keep != 0 { weights.values[i] = 0 }
        let convolution = Convolution(
            filters: filters, kernelSize: [kernel, kernel], strides: [stride, stride], dilation: [1, 1], padding: padding, useBias: true,
            activation: .plainRelu)
        return try add(
            .conv(convolution), from: from, weights: [.kernel: weights, .bias: randomTensor([filters], seed: seed + 1)], name: name)
    }

    /// Adds a 3x3 'same' depthwise convolution of depth multiplier 1 with bias and no
    /// activation, its kernel and bias seeded values in -1...1 from `seed` and `seed + 1`,
    /// reading the last node, and returns its index.
    @discardableResult
    public mutating func seededDepthwise3x3(seed: UInt64, name: String) throws -> Int {
        let channels = nodes[nodes.count - 1].outputShape.last ?? 0
        let convolution = DepthwiseConvolution(
            depthMultiplier: 1, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true,
            activation: .linear)
        return try add(
            .depthwiseConv(convolution),
            weights: [.depthwiseKernel: randomTensor([3, 3, channels, 1], seed: seed), .bias: randomTensor([channels], seed: seed + 1)],
            name: name)
    }

    /// Adds, reading the last node of 40 channels, a 3x3 'same' convolution of 5 filters at
    /// stride 2x1 with bias and ReLU (rows of 3·3·40 = 360 values, two CSR segments), then a 3x3
    /// 'same' depthwise convolution of multiplier 2 dilated 1x2 with bias and no activation, whose
    /// CSR filters `tp_conv2d_csr_s8` keeps. The convolution keeps one weight
    /// in `keepConvolution`, the depthwise one in `keepDepthwise`; the kernels and biases are
    /// seeded values in -1...1 from `seed` to `seed + 3`.
    public mutating func seededLongPatchConvolutions(seed: UInt64, keepConvolution: Int, keepDepthwise: Int = 1) throws {
        var kernel = randomTensor([3, 3, 40, 5], seed: seed)
        for i in kernel.values.indices where i % keepConvolution != 0 { kernel.values[i] = 0 }
        try add(
            .conv(
                Convolution(
                    filters: 5, kernelSize: [3, 3], strides: [2, 1], dilation: [1, 1], padding: .same, useBias: true,
                    activation: .plainRelu)), weights: [.kernel: kernel, .bias: randomTensor([5], seed: seed + 1)], name: "conv")
        var depthwise = randomTensor([3, 3, 5, 2], seed: seed + 2)
        for i in depthwise.values.indices where i % keepDepthwise != 0 { depthwise.values[i] = 0 }
        try add(
            .depthwiseConv(
                DepthwiseConvolution(
                    depthMultiplier: 2, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 2], padding: .same,
                    useBias: true, activation: .linear)),
            weights: [.depthwiseKernel: depthwise, .bias: randomTensor([10], seed: seed + 3)], name: "dw")
    }

    public func graph(outputs: [Int]? = nil) -> Graph {
        Graph(name: "test", nodes: nodes, inputs: inputs, outputs: outputs ?? [nodes.count - 1])
    }

    /// Runs a one-input, one-op graph on `values` (of `shape`) and returns the output.
    public static func run(_ op: Op, input shape: [Int], _ values: [Float], weights: [WeightRole: Tensor] = [:]) throws -> Tensor {
        var builder = GraphBuilder()
        builder.input(shape)
        try builder.add(op, weights: weights, name: "layer")
        return try FloatInference(graph: builder.graph()).run([Tensor(shape: shape, values: values)])[0]
    }
}
