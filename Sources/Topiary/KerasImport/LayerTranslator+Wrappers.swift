/// `TimeDistributed` and `Bidirectional`, translated into the ops of the layers they wrap: the
/// graph has no wrapper op.
extension LayerTranslator {
    /// The wrapped layer's configuration, named after the wrapper's inner layer.
    private func wrappedLayer(of layer: LayerConfig, key: String = "layer") throws -> LayerConfig {
        guard let entry = layer.config[key], entry.object != nil else {
            throw LayerConfig.OptionError(reason: "option '\(key)' (the wrapped layer) is missing")
        }
        do {
            return try LayerConfig(entry: entry, index: 0)
        } catch let error as JSONParseError {
            throw LayerConfig.OptionError(reason: "the wrapped layer is malformed: \(error.message)")
        }
    }

    /// `TimeDistributed(layer)` applies `layer` to each step of axis 1. Layers that act on the
    /// last axis alone (Dense, activations, Flatten…) run once over all steps; any other layer
    /// runs once per step on that step's slice, with one set of weights, and the steps' results
    /// are stacked again.
    func timeDistributed(_ layer: LayerConfig) throws -> LayerRecipe {
        let inner = try wrappedLayer(of: layer)
        if ["TimeDistributed", "Bidirectional"].contains(inner.className) || ModelTopology.modelClasses.contains(inner.className) {
            throw UnsupportedOption(
                reason:
                    "TimeDistributed of \(inner.className) is not supported: it applies one layer per step, not a wrapper or a model; wrap the layers inside \(inner.className) in TimeDistributed one by one"
            )
        }
        let innerRecipe: LayerRecipe
        do {
            innerRecipe = try recipe(for: inner)
        } catch let error as UnsupportedOption {
            throw UnsupportedOption(reason: "wrapped \(inner.className): \(error.reason)")
        }
        return LayerRecipe(outputCount: 1) { shapes in
            guard shapes.count == 1, let steps = shapes[0].first, shapes[0].count >= 2 else {
                throw ShapeError("TimeDistributed expects one input of rank 2 or more (time first, batch excluded), got \(shapes)")
            }
            let stepShape = Array(shapes[0].dropFirst())
            let step = try innerRecipe.expand([stepShape])
            guard step.nodes.count == 1, step.parts.count == 1 else {
                throw ShapeError(
                    "TimeDistributed of \(inner.className) is not supported: \(inner.className) becomes several operations, and a step takes one"
                )
            }
            let innerNode = step.nodes[0]
            if let folded = try Self.overAllSteps(innerNode.op, steps: steps, stepShape: stepShape) {
                let node = LayerExpansion.PlannedNode(
                    nameSuffix: "", ownerSuffix: "", kerasClass: nil, op: folded, inputs: [.input(0)], part: 0)
                var parts = step.parts
                let oneDimensional: Bool
                switch innerNode.op {
                case let .conv(c): oneDimensional = c.rank == 1
                case let .depthwiseConv(c): oneDimensional = c.rank == 1
                default: oneDimensional = false
                }
                if oneDimensional {
                    // The 1D kernel [k, …] is read as the 2D kernel [1, k, …]: the same values.
                    parts[0].weights = parts[0].weights.map { weight in
                        guard weight.role == .kernel || weight.role == .depthwiseKernel else { return weight }
                        var widened = weight
                        widened.shape.insert(1, at: 0)
                        widened.countOnly = true
                        return widened
                    }
                }
                return LayerExpansion(parts: parts, nodes: [node], outputs: [0])
            }
            return try Self.perStep(innerNode.op, innerClass: inner.className, steps: steps, stepShape: stepShape, parts: step.parts)
        }
    }

    /// The op that computes `op` on every step at once, when `op` treats the leading axes alike:
    /// the same op with its axes shifted past the time axis; a 1D window (convolution, pooling)
    /// becomes a 2D window of height 1 over `[steps, length, channels]`.
    private static func overAllSteps(_ op: Op, steps: Int, stepShape: [Int]) throws -> Op? {
        func shifted(_ activation: Activation) -> Activation {
            switch activation {
            case let .softmax(axis): return .softmax(axis: axis + 1)
            case let .logSoftmax(axis): return .logSoftmax(axis: axis + 1)
            default: return activation
            }
        }
        switch op {
        case .identity, .rescaling: return op
        case var .dense(d):
            d.activation = shifted(d.activation)
            return .dense(d)
        case let .activation(a): return .activation(shifted(a))
        case var .batchNorm(b):
            b.axis += 1
            return .batchNorm(b)
        case var .normalization(n):
            n.axis += 1
            return .normalization(n)
        case var .conv(c) where c.rank == 1 && c.padding != .causal:
            c.window.insertLeadingAxis()
            c.activation = shifted(c.activation)
            return .conv(c)
        case var .depthwiseConv(c) where c.rank == 1 && c.padding != .causal:
            c.window.insertLeadingAxis()
            c.activation = shifted(c.activation)
            return .depthwiseConv(c)
        case var .pool(p) where p.rank == 1:
            p.poolSize.insert(1, at: 0)
            p.strides.insert(1, at: 0)
            return .pool(p)
        case .flatten: return .reshape(targetShape: [steps, stepShape.elementCount])
        case let .reshape(target): return .reshape(targetShape: [steps] + target)
        default: return nil
        }
    }

    /// The most steps a layer is copied over; each copy is four nodes.
    static let maximumSteps = 1024

    /// `op` once per step: the input seen as `[steps, values]`, each step cropped out and given
    /// its shape back, the op applied with the wrapped layer's weights, and the results joined
    /// along the time axis.
    private static func perStep(_ op: Op, innerClass: String, steps: Int, stepShape: [Int], parts: [LayerExpansion.WeightPart])
        throws -> LayerExpansion
    {
        guard steps <= maximumSteps else {
            throw ShapeError(
                "TimeDistributed(\(innerClass)) over \(steps) steps would copy the layer once per step; at most \(maximumSteps) copies are made (layers acting on the last axis or along one axis run over any number of steps)"
            )
        }
        let stepOutput = try op.outputShape(for: [stepShape])
        var nodes: [LayerExpansion.PlannedNode] = []
        func add(_ suffix: String, _ op: Op, _ inputs: [LayerExpansion.Source], part: Int? = nil, kerasClass: String? = nil) -> Int {
            nodes.append(
                LayerExpansion.PlannedNode(
                    nameSuffix: suffix, ownerSuffix: part == nil ? suffix : "", kerasClass: kerasClass, op: op, inputs: inputs,
                    part: part))
            return nodes.count - 1
        }
        let rows = add("/rows", .reshape(targetShape: [steps, stepShape.elementCount]), [.input(0)])
        var results: [LayerExpansion.Source] = []
        for t in 0..<steps {
            let slice = add("/step\(t + 1)/slice", .move(.cropping(cropping: [Pair(t, steps - 1 - t)])), [.node(rows)])
            let shaped = add("/step\(t + 1)/input", .reshape(targetShape: stepShape), [.node(slice)])
            let applied = add("/step\(t + 1)", op, [.node(shaped)], part: 0, kerasClass: innerClass)
            results.append(.node(add("/step\(t + 1)/row", .reshape(targetShape: [1, stepOutput.elementCount]), [.node(applied)])))
        }
        let joined = steps == 1 ? nodes.count - 1 : add("/steps", .concatenate(axis: 0), results)
        let output = add("", .reshape(targetShape: [steps] + stepOutput), [.node(joined)])
        return LayerExpansion(parts: parts, nodes: nodes, outputs: [output])
    }

    /// `Bidirectional(rnn)`: the recurrent layer run forwards and a copy run backwards over the
    /// same input (the backward sequence put back in time order), merged by `merge_mode`, or
    /// returned as two outputs when it is None.
    func bidirectional(_ layer: LayerConfig) throws -> LayerRecipe {
        let forwardConfig = try wrappedLayer(of: layer)
        guard ["SimpleRNN", "GRU", "LSTM"].contains(forwardConfig.className) else {
            throw UnsupportedOption(reason: "Bidirectional of \(forwardConfig.className) is not supported; only SimpleRNN, GRU and LSTM")
        }
        var backwardConfig = forwardConfig
        if layer.has("backward_layer") {
            backwardConfig = try wrappedLayer(of: layer, key: "backward_layer")
            guard backwardConfig.className == forwardConfig.className else {
                throw UnsupportedOption(reason: "a backward layer of another class than the forward layer is not supported")
            }
        } else {
            backwardConfig.config["go_backwards"] = .bool(!(try forwardConfig.bool("go_backwards", default: false)))
        }
        let forward = try recurrentSpec(forwardConfig)
        let backward = try recurrentSpec(backwardConfig)
        guard forward.returnSequences == backward.returnSequences else {
            throw LayerConfig.OptionError(reason: "the forward and backward layers differ in return_sequences")
        }
        // Keras's default is concat; an explicit None returns both sequences.
        let mode: String? = layer.config["merge_mode"].map { $0.isNull ? nil : $0.string ?? "" } ?? "concat"
        let merge: Op?
        switch mode {
        case "concat": merge = nil
        case "sum": merge = .merge(.add)
        case "mul": merge = .merge(.multiply)
        case "ave": merge = .merge(.average)
        case nil: merge = nil
        case let other?: throw LayerConfig.OptionError(reason: "merge_mode '\(other)' is not one of concat, sum, mul, ave or None")
        }
        let forwardRecipe = try recurrent(forwardConfig, kind: forward.kind)
        let backwardRecipe = try recurrent(backwardConfig, kind: backward.kind)
        return LayerRecipe(outputCount: mode == nil ? 2 : 1) { shapes in
            let forwardPart = try forwardRecipe.expand(shapes)
            let backwardPart = try backwardRecipe.expand(shapes)
            let parts = forwardPart.parts + backwardPart.parts
            var nodes = [
                LayerExpansion.PlannedNode(
                    nameSuffix: "/forward", ownerSuffix: "/forward", kerasClass: forwardConfig.className,
                    op: forwardPart.nodes[0].op, inputs: [.input(0)], part: 0),
                LayerExpansion.PlannedNode(
                    nameSuffix: "/backward", ownerSuffix: "/backward", kerasClass: backwardConfig.className,
                    op: backwardPart.nodes[0].op, inputs: [.input(0)], part: 1),
            ]
            var backwardOutput = 1
            if forward.returnSequences {
                nodes.append(
                    LayerExpansion.PlannedNode(
                        nameSuffix: "/backward/reversed", ownerSuffix: "/backward/reversed", kerasClass: nil,
                        op: .move(.reverse(axis: 0)), inputs: [.node(1)], part: nil))
                backwardOutput = 2
            }
            guard mode != nil else { return LayerExpansion(parts: parts, nodes: nodes, outputs: [0, backwardOutput]) }
            let rank = forward.returnSequences ? 2 : 1
            nodes.append(
                LayerExpansion.PlannedNode(
                    nameSuffix: "", ownerSuffix: "", kerasClass: nil, op: merge ?? .concatenate(axis: rank - 1),
                    inputs: [.node(0), .node(backwardOutput)], part: nil))
            return LayerExpansion(parts: parts, nodes: nodes, outputs: [nodes.count - 1])
        }
    }
}
