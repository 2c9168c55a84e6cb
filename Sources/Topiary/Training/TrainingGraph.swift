/// A graph prepared for training: for every node its op with a backward pass
/// (`DifferentiableOp`) and its activation, and the trainable parameters (the kernels and
/// biases of Dense and convolution layers, one set per layer however often it is called).
///
/// Ops without a backward pass (recurrent layers, embeddings) still run forward, with the
/// reference kernels, but no gradient crosses them: they, and any layer whose every path to
/// an output goes through one, are frozen and listed in `frozenLayers`.
struct TrainingGraph: Sendable {
    /// One node: what computes it, and which parameters it reads.
    struct Step: Sendable {
        let op: (any DifferentiableOp)?
        /// The reference kernel of an op without a backward pass.
        let frozen: (any FloatKernel)?
        let activation: Activation
        let inputs: [Int]
        let shape: [Int]
        /// Indices into the parameter list, in the op's order.
        let parameters: [Int]
    }

    /// Where one trainable parameter lives: the first node of its layer and its role.
    struct Parameter: Equatable, Sendable {
        let node: Int
        let role: WeightRole
    }

    let graph: Graph
    let steps: [Step]
    let parameters: [Parameter]
    /// Layers that fine-tuning leaves as they are, in model order.
    let frozenLayers: [String]

    init(_ graph: Graph) throws {
        self.graph = graph
        var steps: [Step] = []
        var parameters: [Parameter] = []
        var parameterIndex: [String: Int] = [:]
        for node in graph.nodes {
            let inputShapes = node.inputs.map { graph.nodes[$0].outputShape }
            if case .input = node.op {
                steps.append(Step(op: nil, frozen: nil, activation: .linear, inputs: [], shape: node.outputShape, parameters: []))
                continue
            }
            var indices: [Int] = []
            for role in Self.roles(of: node) {
                let key = node.layerName + "\u{0}" + role.rawValue
                if parameterIndex[key] == nil {
                    parameterIndex[key] = parameters.count
                    parameters.append(
                        Parameter(node: graph.nodes.firstIndex { $0.layerName == node.layerName && $0.weights[role] != nil }!, role: role))
                }
                indices.append(parameterIndex[key]!)
            }
            let op = try Self.differentiableOp(node, inputShapes: inputShapes)
            let frozen = op == nil ? try FloatInference.makeKernel(node, inputShapes: inputShapes) : nil
            let activation: Activation = op == nil ? .linear : (node.fusedActivation ?? .linear)
            steps.append(
                Step(
                    op: op, frozen: frozen, activation: activation, inputs: node.inputs, shape: node.outputShape,
                    parameters: op == nil ? [] : indices))
        }
        self.steps = steps
        self.parameters = parameters
        // Nodes a gradient reaches: back from the outputs, through differentiable ops only.
        var reached = Set(graph.outputs.filter { steps[$0].op != nil })
        for index in graph.nodes.indices.reversed() where reached.contains(index) {
            for input in steps[index].inputs where steps[input].op != nil { reached.insert(input) }
        }
        var frozen: [String] = []
        for (index, node) in graph.nodes.enumerated() {
            if case .input = node.op { continue }
            let stuck = steps[index].op == nil || (!steps[index].parameters.isEmpty && !reached.contains(index))
            if stuck, !frozen.contains(node.layerName) { frozen.append(node.layerName) }
        }
        frozenLayers = frozen
    }

    /// The weights fine-tuning trains on `node`, in its op's order.
    static func roles(of node: Node) -> [WeightRole] {
        let bias: [WeightRole] = node.weights[.bias] == nil ? [] : [.bias]
        switch node.op {
        case .dense, .conv: return [.kernel] + bias
        case .depthwiseConv: return [.depthwiseKernel] + bias
        case .separableConv: return [.depthwiseKernel, .pointwiseKernel] + bias
        default: return []
        }
    }

    /// The op with a backward pass that computes `node` before its activation, or nil when
    /// there is none.
    static func differentiableOp(_ node: Node, inputShapes: [[Int]]) throws -> (any DifferentiableOp)? {
        let first = inputShapes.first ?? []
        switch node.op {
        case .input:
            return nil
        case .identity, .flatten, .reshape, .activation:
            return PassThroughGradient()
        case let .dense(d):
            let kernel = try DenseKernel(node: node, inputShape: first, parameters: d)
            return DenseGradient(rows: kernel.rows, inputWidth: kernel.inputWidth, units: d.units, hasBias: kernel.bias != nil)
        case let .conv(c):
            let kernel = try ConvolutionKernel(node: node, inputShape: first, parameters: c)
            return ConvolutionGradient(geometry: kernel.geometry, filters: c.filters, hasBias: kernel.bias != nil)
        case let .depthwiseConv(c):
            let kernel = try DepthwiseConvolutionKernel(node: node, inputShape: first, parameters: c)
            return DepthwiseConvolutionGradient(geometry: kernel.geometry, multiplier: c.depthMultiplier, hasBias: kernel.bias != nil)
        case let .separableConv(c):
            let kernel = try SeparableConvolutionKernel(node: node, inputShape: first, parameters: c)
            let depthwise = DepthwiseConvolutionGradient(geometry: kernel.depthwise.geometry, multiplier: c.depthMultiplier, hasBias: false)
            return SeparableConvolutionGradient(depthwise: depthwise, filters: c.filters, hasBias: kernel.bias != nil)
        case let .pool(p):
            return PoolingGradient(geometry: try PoolingKernel(node: node, inputShape: first, parameters: p).geometry, kind: p.kind)
        case let .globalPool(g):
            let kernel = try GlobalPoolingKernel(node: node, inputShape: first, parameters: g)
            return GlobalPoolingGradient(kind: g.kind, positions: kernel.positions, channels: kernel.channels)
        case .move:
            return GatherGradient(gather: try GatherTable(node: node, inputShape: first), inputCount: first.elementCount)
        case let .batchNorm(bn):
            let affine = try ChannelAffine(node: node, inputShape: first, batchNorm: bn)
            return AffineGradient(layout: affine.layout, scale: affine.scale, shift: affine.shift)
        case let .rescaling(scale, offset):
            let affine = try ChannelAffine(node: node, inputShape: first, scale: scale, offset: offset)
            return AffineGradient(layout: affine.layout, scale: affine.scale, shift: affine.shift)
        case let .normalization(n):
            let kernel = try NormalizationKernel(node: node, inputShape: first, parameters: n)
            let scale = kernel.deviation.map { n.invert ? $0 : 1 / $0 }
            let shift = zip(kernel.mean, kernel.deviation).map { n.invert ? $0 : -$0 / $1 }
            return AffineGradient(layout: kernel.layout, scale: scale, shift: shift)
        case .prelu:
            return PReLUGradient(alpha: try PReLUKernel(node: node, inputShape: first).alpha)
        case let .merge(kind):
            return MergeGradient(kind: kind)
        case let .concatenate(axis):
            let kernel = try ConcatenateKernel(node: node, inputShapes: inputShapes, axis: axis)
            return ConcatenateGradient(outer: kernel.outer, blocks: kernel.blocks)
        case .recurrent, .embedding, .convTranspose, .layerNorm:
            return nil
        }
    }

    /// `graph` (the one this was built from) with the parameters set to `values`, in every
    /// node of their layer.
    func graph(_ graph: Graph, with values: [[Float]]) -> Graph {
        var result = graph
        for (parameter, newValues) in zip(parameters, values) {
            let layer = graph.nodes[parameter.node].layerName
            for k in result.nodes.indices where result.nodes[k].layerName == layer && result.nodes[k].weights[parameter.role] != nil {
                result.nodes[k].weights[parameter.role] = Tensor(shape: result.nodes[k].weights[parameter.role]!.shape, values: newValues)
            }
        }
        return result
    }

    /// The parameters' current values in `graph`.
    func parameterValues(_ graph: Graph) -> [[Float]] {
        parameters.map { graph.nodes[$0.node].weights[$0.role]!.values }
    }

    /// One sample's values: every node's output `y`, and its input to the activation `z`
    /// where the activation is not linear.
    struct Pass {
        var y: [[Float]]
        var z: [[Float]?]
    }

    /// Runs one sample (one flat array per model input) with `values` as the parameters,
    /// rounding the activations as the int8 model does when `rounding` is given.
    func forward(_ inputs: [[Float]], _ values: [[Float]], rounding: ActivationRounding? = nil) throws -> Pass {
        var pass = Pass(y: [[Float]](repeating: [], count: steps.count), z: [[Float]?](repeating: nil, count: steps.count))
        for (position, index) in graph.inputs.enumerated() {
            pass.y[index] = inputs[position]
            if let parameters = rounding?.output[index] { ActivationRounding.round(&pass.y[index], parameters) }
        }
        for (index, step) in steps.enumerated() {
            if let op = step.op {
                var z = op.forward(step.inputs.map { pass.y[$0] }, step.parameters.map { values[$0] })
                if step.activation == .linear {
                    pass.y[index] = z
                } else {
                    if let parameters = rounding?.beforeActivation[index] { ActivationRounding.round(&z, parameters) }
                    var y = z
                    step.activation.apply(to: &y, shape: step.shape)
                    pass.y[index] = y
                    pass.z[index] = z
                }
            } else if let frozen = step.frozen {
                let arguments = step.inputs.map { Tensor(shape: steps[$0].shape, values: pass.y[$0]) }
                pass.y[index] = try frozen.forward(arguments).values
            } else {
                continue
            }
            if let parameters = rounding?.output[index] { ActivationRounding.round(&pass.y[index], parameters) }
        }
        return pass
    }

    /// Adds one sample's parameter gradients into `gradients`, from `seeds`: for some nodes,
    /// the gradient of the loss with respect to their output, or with respect to their
    /// activation's input when `beforeActivation` (a softmax output trained on its logits).
    func backward(
        _ pass: Pass, _ values: [[Float]], seeds: [Int: (gradient: [Float], beforeActivation: Bool)],
        into gradients: inout [[Float]]
    ) {
        var dy = [[Float]?](repeating: nil, count: steps.count)
        for (index, seed) in seeds where !seed.beforeActivation { dy[index] = seed.gradient }
        for index in steps.indices.reversed() {
            let step = steps[index]
            guard let op = step.op else { continue }
            let dz: [Float]
            if let seed = seeds[index], seed.beforeActivation {
                dz = seed.gradient
            } else if let gradient = dy[index] {
                dz = pass.z[index].map { step.activation.backward(gradient, z: $0, y: pass.y[index], shape: step.shape) } ?? gradient
            } else {
                continue
            }
            // Take the node's gradient buffers out so the op updates them in place, uncopied.
            var local = step.parameters.map { gradients[$0] }
            for p in step.parameters { gradients[p] = [] }
            let dx = op.backward(
                step.inputs.map { pass.y[$0] }, step.parameters.map { values[$0] }, gradient: dz,
                parameterGradients: &local)
            for (p, g) in zip(step.parameters, local) { gradients[p] = g }
            for (input, gradient) in zip(step.inputs, dx) where steps[input].op != nil {
                if var existing = dy[input] {
                    for i in existing.indices { existing[i] += gradient[i] }
                    dy[input] = existing
                } else {
                    dy[input] = gradient
                }
            }
        }
    }
}
