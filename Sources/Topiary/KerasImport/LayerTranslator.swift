/// A weight the file must hold for a layer, in the order Keras stores the layer's weights.
struct ExpectedWeight {
    /// Where the weight goes in the node; nil for weights that are read and counted but not
    /// used at inference (Normalization's sample `count`).
    var role: WeightRole?
    /// The variable's Keras name (`kernel`, `moving_mean`…), matched against the file's names.
    var kerasName: String
    var shape: [Int]
    /// Only the element count has to match (Keras has stored some statistics with extra unit axes).
    var countOnly = false
    /// May be absent from the file.
    var optional = false
}

extension ExpectedWeight {
    /// The `bias` of `shape` that a layer stores after its kernels when it uses one (`use_bias`).
    static func bias(_ shape: [Int], when useBias: Bool) -> [ExpectedWeight] {
        useBias ? [ExpectedWeight(role: .bias, kerasName: "bias", shape: shape)] : []
    }

    /// A `kernel` of `shape`, then a `bias` of `[outputs]` when the layer uses one: the weights
    /// of Dense and of the plain and transposed convolutions.
    static func kernelAndBias(_ shape: [Int], outputs: Int, useBias: Bool) -> [ExpectedWeight] {
        [ExpectedWeight(role: .kernel, kerasName: "kernel", shape: shape)] + bias([outputs], when: useBias)
    }
}

/// How to build one layer's nodes once its input shapes are known.
struct LayerRecipe {
    /// How many tensors the layer outputs.
    var outputCount = 1
    var expand: (_ inputShapes: [[Int]]) throws -> LayerExpansion

    /// A layer that becomes one node.
    init(_ build: @escaping (_ inputShapes: [[Int]]) throws -> (op: Op, weights: [ExpectedWeight], defaults: [WeightRole: Tensor])) {
        expand = { shapes in
            let built = try build(shapes)
            return LayerExpansion(op: built.op, weights: built.weights, defaults: built.defaults, inputCount: shapes.count)
        }
    }

    init(outputCount: Int, expand: @escaping (_ inputShapes: [[Int]]) throws -> LayerExpansion) {
        self.outputCount = outputCount
        self.expand = expand
    }
}

/// Translates Keras layer configurations into graph ops. Throws `UnsupportedOption` for layers
/// or options Topiary does not convert and `LayerConfig.OptionError` for malformed options.
struct LayerTranslator {
    var activations: ActivationParser

    init(keras2: Bool) {
        activations = ActivationParser(keras2: keras2)
    }

    /// Layers that compute nothing at inference.
    static let identityClasses: Set<String> = [
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Identity",
    ]

    /// Why common classes are refused, for a report a user can act on.
    static let knownUnsupported: [String: String] = [
        "Lambda": "Lambda layers hold arbitrary Python code; replace it with built-in layers",
        "TFOpLambda": "a raw TensorFlow op used in the model; replace it with built-in layers",
        "SlicingOpLambda": "a raw tensor slice used in the model; replace it with built-in layers (Cropping, Reshape)",
        "Masking": "masking changes how later layers run and is not supported",
    ]

    func recipe(for layer: LayerConfig) throws -> LayerRecipe {
        // Keras lower-cases data_format before checking it, so "Channels_Last" is channels_last.
        if let format = layer.config["data_format"]?.string, format.lowercased() != "channels_last" {
            throw UnsupportedOption(reason: "data_format '\(format)' is not supported; only channels_last is")
        }
        if layer.has("quantization_config") || layer.has("lora_rank") {
            throw UnsupportedOption(reason: "quantized or LoRA layers are not supported; save the float model")
        }
        if Self.identityClasses.contains(layer.className) {
            return simple(.identity)
        }
        switch layer.className {
        case "Dense": return try dense(layer)
        case "Conv1D", "Conv2D": return try convolution(layer, rank: layer.className == "Conv1D" ? 1 : 2)
        case "DepthwiseConv1D", "DepthwiseConv2D": return try depthwise(layer, rank: layer.className == "DepthwiseConv1D" ? 1 : 2)
        case "SeparableConv1D", "SeparableConv2D": return try separable(layer, rank: layer.className == "SeparableConv1D" ? 1 : 2)
        case "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D": return try pooling(layer)
        case "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D":
            return simple(
                .globalPool(
                    GlobalPooling(
                        kind: layer.className.hasPrefix("GlobalMax") ? .max : .average,
                        rank: layer.className.hasSuffix("1D") ? 1 : 2,
                        keepDims: try layer.bool("keepdims", default: false))))
        case "Flatten": return simple(.flatten)
        case "Reshape": return try reshape(layer)
        case "Permute":
            let dims = try layer.ints("dims", count: layer.config["dims"]?.array?.count ?? 1)
            return simple(.move(.permute(dims: dims.map { $0 - 1 })))
        case "BatchNormalization": return try batchNorm(layer)
        case "Activation":
            _ = try activations.parse(layer, rank: 1)
            return shaped { shapes in .activation(try activations.parse(layer, rank: shapes[0].count)) }
        case "ReLU":
            let slope = try layer.float("negative_slope", default: 0)
            let threshold = try layer.float("threshold", default: 0)
            let maxValue = try layer.optionalFloat("max_value")
            return simple(.activation(.relu(negativeSlope: slope, maxValue: maxValue, threshold: threshold)))
        case "LeakyReLU":
            let slope = try layer.has("negative_slope") ? layer.float("negative_slope") : layer.float("alpha", default: 0.3)
            return simple(.activation(.relu(negativeSlope: slope, maxValue: nil, threshold: 0)))
        case "ELU":
            return simple(.activation(.elu(alpha: try layer.float("alpha", default: 1))))
        case "Softmax":
            guard layer.config["axis"]?.array.map({ $0.count == 1 }) ?? true else {
                throw UnsupportedOption(reason: "softmax over several axes is not supported")
            }
            let raw = try layer.axis("axis", default: -1)
            return shaped { shapes in .activation(.softmax(axis: try Self.axis(raw, rank: shapes[0].count))) }
        case "PReLU": return try prelu(layer)
        case "ZeroPadding1D", "ZeroPadding2D":
            let rank = layer.className.hasSuffix("1D") ? 1 : 2
            return simple(.move(.zeroPadding(padding: try layer.pairs("padding", count: rank))))
        case "Cropping1D", "Cropping2D":
            let rank = layer.className.hasSuffix("1D") ? 1 : 2
            return simple(.move(.cropping(cropping: try layer.pairs("cropping", count: rank))))
        case "UpSampling1D", "UpSampling2D":
            let rank = layer.className.hasSuffix("1D") ? 1 : 2
            let interpolation = try layer.string("interpolation", default: "nearest")
            guard interpolation == "nearest" else {
                throw UnsupportedOption(reason: "interpolation '\(interpolation)' is not supported; only 'nearest' is")
            }
            return simple(.move(.upSampling(size: try layer.ints("size", count: rank, default: Array(repeating: 2, count: rank)))))
        case "Add": return simple(.merge(.add))
        case "Subtract": return simple(.merge(.subtract))
        case "Multiply": return simple(.merge(.multiply))
        case "Average": return simple(.merge(.average))
        case "Maximum": return simple(.merge(.maximum))
        case "Minimum": return simple(.merge(.minimum))
        case "Concatenate":
            let raw = try layer.int("axis", default: -1)
            return shaped { shapes in .concatenate(axis: try Self.axis(raw, rank: shapes[0].count)) }
        case "SimpleRNN": return try recurrent(layer, kind: .simpleRNN)
        case "GRU": return try recurrent(layer, kind: .gru)
        case "LSTM": return try recurrent(layer, kind: .lstm)
        case "Bidirectional": return try bidirectional(layer)
        case "TimeDistributed": return try timeDistributed(layer)
        case "Embedding": return try embedding(layer)
        case "Rescaling":
            let scale = try layer.floats("scale") ?? [1]
            let offset = try layer.floats("offset") ?? [0]
            return simple(.rescaling(scale: scale, offset: offset))
        case "Normalization": return try normalization(layer)
        case "Conv1DTranspose", "Conv2DTranspose":
            return try convolutionTranspose(layer, rank: layer.className == "Conv1DTranspose" ? 1 : 2)
        case "LayerNormalization": return try layerNormalization(layer)
        case "GroupNormalization": return try groupNormalization(layer)
        default:
            throw UnsupportedOption(
                reason: Self.knownUnsupported[layer.className]
                    ?? "layer class '\(layer.className)' is not supported (custom or not yet implemented)")
        }
    }

    // MARK: - Helpers

    private func simple(_ op: Op) -> LayerRecipe {
        LayerRecipe { _ in (op, [], [:]) }
    }

    private func shaped(_ makeOp: @escaping ([[Int]]) throws -> Op) -> LayerRecipe {
        LayerRecipe { shapes in (try makeOp(shapes), [], [:]) }
    }

    /// Converts a Keras axis (counting the batch axis as 0, or negative from the end) into an
    /// index into the batch-less shape of the given rank.
    static func axis(_ raw: Int, rank: Int) throws -> Int {
        let resolved = raw < 0 ? rank + raw : raw - 1
        guard resolved >= 0, resolved < rank else {
            throw LayerConfig.OptionError(reason: "axis \(raw) is out of range for an input of rank \(rank) (batch excluded)")
        }
        return resolved
    }

    private func padding(_ layer: LayerConfig, allowCausal: Bool) throws -> Padding {
        let name = try layer.string("padding", default: "valid").lowercased()
        guard let padding = Padding(rawValue: name), padding != .causal || allowCausal else {
            throw UnsupportedOption(reason: "padding '\(name)' is not supported")
        }
        return padding
    }

    private static func channels(_ shapes: [[Int]], _ rank: Int) throws -> Int {
        guard let shape = shapes.first, shape.count == rank + 1 else {
            throw ShapeError("expects a \(rank)D channels-last input of rank \(rank + 1) (batch excluded), got \(shapes.first ?? [])")
        }
        return shape[rank]
    }

    // MARK: - Layers with weights

    private func dense(_ layer: LayerConfig) throws -> LayerRecipe {
        let units = try layer.int("units")
        let useBias = try layer.bool("use_bias", default: true)
        // Parsed now so that an unsupported activation is reported with the other unsupported
        // layers, and again below once the rank that a softmax axis refers to is known.
        _ = try activations.parse(layer, rank: 1)
        return LayerRecipe { shapes in
            guard let inputs = shapes.first?.last else { throw ShapeError("expects at least a 1D input") }
            let activation = try activations.parse(layer, rank: shapes[0].count)
            let weights = ExpectedWeight.kernelAndBias([inputs, units], outputs: units, useBias: useBias)
            return (.dense(Dense(units: units, useBias: useBias, activation: activation)), weights, [:])
        }
    }

    private func convolution(_ layer: LayerConfig, rank: Int) throws -> LayerRecipe {
        let filters = try ungroupedFilters(layer)
        let o = try convolutionOptions(layer, rank: rank)
        let op = Op.conv(
            Convolution(
                filters: filters, kernelSize: o.kernel, strides: o.strides, dilation: o.dilation, padding: o.padding,
                useBias: o.useBias, activation: o.activation))
        return convolutionRecipe(op, rank: rank, filters: filters, useBias: o.useBias) { cin in o.kernel + [cin, filters] }
    }

    private func convolutionTranspose(_ layer: LayerConfig, rank: Int) throws -> LayerRecipe {
        let filters = try ungroupedFilters(layer)
        let o = try convolutionOptions(layer, rank: rank)
        guard o.dilation.allSatisfy({ $0 == 1 }) else {
            throw UnsupportedOption(
                reason:
                    "dilated transposed convolution (dilation_rate=\(o.dilation)) is not supported: the kernels scatter undilated; rebuild the layer with dilation_rate=1"
            )
        }
        guard o.padding != .causal else {
            throw UnsupportedOption(reason: "padding 'causal' is not supported for a transposed convolution: use 'valid' or 'same'")
        }
        let outputPadding = try layer.has("output_padding") ? layer.ints("output_padding", count: rank) : nil
        if let outputPadding, zip(outputPadding, o.strides).contains(where: { $0 < 0 || $0 >= $1 }) {
            throw LayerConfig.OptionError(reason: "output_padding \(outputPadding) must be below the strides \(o.strides)")
        }
        let op = Op.convTranspose(
            ConvolutionTranspose(
                filters: filters, kernelSize: o.kernel, strides: o.strides, padding: o.padding, outputPadding: outputPadding,
                useBias: o.useBias, activation: o.activation))
        return convolutionRecipe(op, rank: rank, filters: filters, useBias: o.useBias) { cin in o.kernel + [filters, cin] }
    }

    /// A plain or transposed convolution: its op is known from the configuration, its kernel's
    /// shape once the input's channel count is.
    private func convolutionRecipe(
        _ op: Op, rank: Int, filters: Int, useBias: Bool, kernelShape: @escaping (_ inputChannels: Int) -> [Int]
    ) -> LayerRecipe {
        LayerRecipe { shapes in
            let cin = try Self.channels(shapes, rank)
            return (op, ExpectedWeight.kernelAndBias(kernelShape(cin), outputs: filters, useBias: useBias), [:])
        }
    }

    private func layerNormalization(_ layer: LayerConfig) throws -> LayerRecipe {
        if try layer.bool("rms_scaling", default: false) {
            throw UnsupportedOption(
                reason:
                    "rms_scaling=True is not supported: Keras deprecates it (it divides the uncentred input by the standard deviation, not by the root mean square); use rms_scaling=False"
            )
        }
        let raw: [Int]
        if let array = layer.config["axis"]?.array {
            raw = try layer.ints("axis", count: array.count)
        } else {
            raw = [try layer.axis("axis", default: -1)]
        }
        let epsilon = try layer.float("epsilon", default: 1e-3)
        let center = try layer.bool("center", default: true)
        let scale = try layer.bool("scale", default: true)
        return LayerRecipe { shapes in
            let rank = shapes[0].count
            let axes = try raw.map { try Self.axis($0, rank: rank) }
            guard !axes.isEmpty, Set(axes).count == axes.count else {
                throw LayerConfig.OptionError(reason: "axis \(raw) names an axis twice or none")
            }
            // Keras shapes gamma and beta by the axes as written, and reshapes (not transposes)
            // them onto the sorted axes: only their element count has to match.
            let parameterShape = axes.map { shapes[0][$0] }
            var weights: [ExpectedWeight] = []
            if scale { weights.append(ExpectedWeight(role: .gamma, kerasName: "gamma", shape: parameterShape, countOnly: true)) }
            if center { weights.append(ExpectedWeight(role: .beta, kerasName: "beta", shape: parameterShape, countOnly: true)) }
            var defaults: [WeightRole: Tensor] = [:]
            if !scale { defaults[.gamma] = Tensor(filling: 1, shape: parameterShape) }
            if !center { defaults[.beta] = Tensor(filling: 0, shape: parameterShape) }
            return (.layerNorm(LayerNormalization(axes: axes.sorted(), epsilon: epsilon)), weights, defaults)
        }
    }

    /// `GroupNormalization` over its channel axis (any one): the channels split into groups,
    /// each group normalised over every position and its channels (a layer normalisation of the
    /// tensor seen with the channel axis as `[groups, channels / groups]`, over every axis but
    /// the groups'), then scaled and shifted per channel (a batch normalisation with zero mean
    /// and unit variance).
    private func groupNormalization(_ layer: LayerConfig) throws -> LayerRecipe {
        let groups = try layer.int("groups", default: 32)
        let rawAxis = try layer.axis("axis", default: -1)
        let epsilon = try layer.float("epsilon", default: 1e-3)
        let center = try layer.bool("center", default: true)
        let scale = try layer.bool("scale", default: true)
        return LayerRecipe(outputCount: 1) { shapes in
            let shape = shapes[0]
            let axis = try Self.axis(rawAxis, rank: shape.count)
            let channels = shape[axis]
            guard groups > 0, channels % groups == 0 else {
                throw LayerConfig.OptionError(reason: "\(groups) groups do not divide the \(channels) channels of input \(shape)")
            }
            let grouped = Array(shape[..<axis]) + [groups, channels / groups] + Array(shape[(axis + 1)...])
            let axes = (0...shape.count).filter { $0 != axis }
            var weights: [ExpectedWeight] = []
            if scale { weights.append(ExpectedWeight(role: .gamma, kerasName: "gamma", shape: [channels])) }
            if center { weights.append(ExpectedWeight(role: .beta, kerasName: "beta", shape: [channels])) }
            var defaults: [WeightRole: Tensor] = [
                .movingMean: Tensor(filling: 0, shape: [channels]), .movingVariance: Tensor(filling: 1, shape: [channels]),
            ]
            if !scale { defaults[.gamma] = Tensor(filling: 1, shape: [channels]) }
            if !center { defaults[.beta] = Tensor(filling: 0, shape: [channels]) }
            let affine = LayerExpansion.WeightPart(weights: weights, defaults: defaults)
            // The statistics step only normalises: no gamma and beta.
            let groupStatistics = LayerExpansion.WeightPart(weights: [])
            func node(_ suffix: String, _ op: Op, _ input: LayerExpansion.Source, part: Int?) -> LayerExpansion.PlannedNode {
                LayerExpansion.PlannedNode(nameSuffix: suffix, ownerSuffix: suffix, kerasClass: nil, op: op, inputs: [input], part: part)
            }
            return LayerExpansion(
                parts: [groupStatistics, affine],
                nodes: [
                    node("/groups", .reshape(targetShape: grouped), .input(0), part: nil),
                    node("/normalized", .layerNorm(LayerNormalization(axes: axes, epsilon: epsilon)), .node(0), part: 0),
                    node("/channels", .reshape(targetShape: shape), .node(1), part: nil),
                    LayerExpansion.PlannedNode(
                        nameSuffix: "", ownerSuffix: "", kerasClass: nil,
                        op: .batchNorm(BatchNorm(axis: axis, epsilon: 0)), inputs: [.node(2)], part: 1),
                ],
                outputs: [3])
        }
    }

    private func depthwise(_ layer: LayerConfig, rank: Int) throws -> LayerRecipe {
        let multiplier = try layer.int("depth_multiplier", default: 1)
        let o = try convolutionOptions(layer, rank: rank)
        return LayerRecipe { shapes in
            let cin = try Self.channels(shapes, rank)
            let weights =
                [ExpectedWeight(role: .depthwiseKernel, kerasName: "depthwise_kernel", shape: o.kernel + [cin, multiplier])]
                + ExpectedWeight.bias([cin * multiplier], when: o.useBias)
            let op = Op.depthwiseConv(
                DepthwiseConvolution(
                    depthMultiplier: multiplier, kernelSize: o.kernel, strides: o.strides,
                    dilation: o.dilation, padding: o.padding, useBias: o.useBias, activation: o.activation))
            return (op, weights, [:])
        }
    }

    private func separable(_ layer: LayerConfig, rank: Int) throws -> LayerRecipe {
        let filters = try layer.int("filters")
        let multiplier = try layer.int("depth_multiplier", default: 1)
        let o = try convolutionOptions(layer, rank: rank)
        return LayerRecipe { shapes in
            let cin = try Self.channels(shapes, rank)
            let weights =
                [
                    ExpectedWeight(role: .depthwiseKernel, kerasName: "depthwise_kernel", shape: o.kernel + [cin, multiplier]),
                    ExpectedWeight(
                        role: .pointwiseKernel, kerasName: "pointwise_kernel",
                        shape: Array(repeating: 1, count: rank) + [cin * multiplier, filters]),
                ] + ExpectedWeight.bias([filters], when: o.useBias)
            let op = Op.separableConv(
                SeparableConvolution(
                    filters: filters, depthMultiplier: multiplier, kernelSize: o.kernel, strides: o.strides,
                    dilation: o.dilation, padding: o.padding, useBias: o.useBias, activation: o.activation))
            return (op, weights, [:])
        }
    }

    /// `filters` of a Conv or ConvTranspose layer, whose `groups` must be 1: the kernels have no
    /// grouped form.
    private func ungroupedFilters(_ layer: LayerConfig) throws -> Int {
        let groups = try layer.int("groups", default: 1)
        guard groups == 1 else { throw UnsupportedOption(reason: "grouped convolution (groups=\(groups)) is not supported") }
        return try layer.int("filters")
    }

    /// The options Conv, DepthwiseConv and SeparableConv share.
    private struct ConvolutionOptions {
        var kernel: [Int]
        var strides: [Int]
        var dilation: [Int]
        var padding: Padding
        var useBias: Bool
        var activation: Activation
    }

    private func convolutionOptions(_ layer: LayerConfig, rank: Int) throws -> ConvolutionOptions {
        let ones = Array(repeating: 1, count: rank)
        let options = ConvolutionOptions(
            kernel: try layer.ints("kernel_size", count: rank),
            strides: try layer.ints("strides", count: rank, default: ones),
            dilation: try layer.ints("dilation_rate", count: rank, default: ones),
            padding: try padding(layer, allowCausal: rank == 1),
            useBias: try layer.bool("use_bias", default: true),
            activation: try activations.parse(layer, rank: rank + 1))
        try Self.checkWindow(options.kernel, options.strides, options.dilation)
        return options
    }

    private static func checkWindow(_ kernel: [Int], _ strides: [Int], _ dilation: [Int]) throws {
        guard (kernel + strides + dilation).allSatisfy({ $0 > 0 }) else {
            throw LayerConfig.OptionError(
                reason: "kernel size, strides and dilation must be positive, got \(kernel), \(strides), \(dilation)")
        }
        if strides.contains(where: { $0 > 1 }), dilation.contains(where: { $0 > 1 }) {
            throw UnsupportedOption(reason: "strides and dilation both above 1 are not supported (Keras rejects it too)")
        }
    }

    private func pooling(_ layer: LayerConfig) throws -> LayerRecipe {
        let rank = layer.className.hasSuffix("1D") ? 1 : 2
        let size = try layer.ints("pool_size", count: rank, default: Array(repeating: 2, count: rank))
        let strides = try layer.ints("strides", count: rank, default: size)
        let padding = try padding(layer, allowCausal: false)
        try Self.checkWindow(size, strides, Array(repeating: 1, count: rank))
        let kind: PoolKind = layer.className.hasPrefix("Max") ? .max : .average
        return simple(.pool(Pooling(kind: kind, poolSize: size, strides: strides, padding: padding)))
    }

    private func reshape(_ layer: LayerConfig) throws -> LayerRecipe {
        let count = layer.config["target_shape"]?.array?.count ?? 0
        let target = try layer.ints("target_shape", count: count)
        guard target.filter({ $0 == -1 }).count <= 1, target.allSatisfy({ $0 > 0 || $0 == -1 }) else {
            throw LayerConfig.OptionError(reason: "target_shape \(target) is not a valid shape")
        }
        return shaped { shapes in
            let total = shapes[0].elementCount
            let known = target.filter { $0 != -1 }.elementCount
            guard let free = target.firstIndex(of: -1) else { return .reshape(targetShape: target) }
            guard known > 0, total % known == 0 else {
                throw ShapeError("cannot reshape \(shapes[0]) to \(target)")
            }
            var resolved = target
            resolved[free] = total / known
            return .reshape(targetShape: resolved)
        }
    }

    private func batchNorm(_ layer: LayerConfig) throws -> LayerRecipe {
        let axes = layer.config["axis"]?.array ?? [layer.config["axis"] ?? .number(-1)]
        guard axes.count == 1 else {
            throw UnsupportedOption(reason: "batch normalization over several axes is not supported")
        }
        let raw = try layer.axis("axis", default: -1)
        let epsilon = try layer.float("epsilon", default: 1e-3)
        let center = try layer.bool("center", default: true)
        let scale = try layer.bool("scale", default: true)
        return LayerRecipe { shapes in
            let axis = try Self.axis(raw, rank: shapes[0].count)
            let channels = shapes[0][axis]
            var weights: [ExpectedWeight] = []
            if scale { weights.append(ExpectedWeight(role: .gamma, kerasName: "gamma", shape: [channels])) }
            if center { weights.append(ExpectedWeight(role: .beta, kerasName: "beta", shape: [channels])) }
            weights.append(ExpectedWeight(role: .movingMean, kerasName: "moving_mean", shape: [channels]))
            weights.append(ExpectedWeight(role: .movingVariance, kerasName: "moving_variance", shape: [channels]))
            var defaults: [WeightRole: Tensor] = [:]
            if !scale { defaults[.gamma] = Tensor(filling: 1, shape: [channels]) }
            if !center { defaults[.beta] = Tensor(filling: 0, shape: [channels]) }
            return (.batchNorm(BatchNorm(axis: axis, epsilon: epsilon)), weights, defaults)
        }
    }

    private func prelu(_ layer: LayerConfig) throws -> LayerRecipe {
        let shared: [Int]
        if let array = layer.config["shared_axes"]?.array {
            shared = try layer.ints("shared_axes", count: array.count)
        } else if layer.config["shared_axes"]?.number != nil {
            shared = [try layer.int("shared_axes")]
        } else {
            shared = []
        }
        return LayerRecipe { shapes in
            var alphaShape = shapes[0]
            for axis in shared {
                guard axis >= 1, axis <= alphaShape.count else {
                    throw LayerConfig.OptionError(reason: "shared axis \(axis) is out of range for input \(shapes[0])")
                }
                alphaShape[axis - 1] = 1
            }
            return (.prelu, [ExpectedWeight(role: .alpha, kerasName: "alpha", shape: alphaShape)], [:])
        }
    }

    /// The recurrent layer `layer` (SimpleRNN, GRU or LSTM) describes.
    func recurrentSpec(_ layer: LayerConfig) throws -> Recurrent {
        let kind: RecurrentKind
        switch layer.className {
        case "SimpleRNN": kind = .simpleRNN
        case "GRU": kind = .gru
        default: kind = .lstm
        }
        for option in ["return_state", "stateful", "time_major"] where try layer.bool(option, default: false) {
            throw UnsupportedOption(reason: "\(option)=True is not supported")
        }
        let units = try layer.int("units")
        let activation = try layer.has("activation") ? activations.parse(layer, rank: 1) : .tanh
        let recurrentActivation =
            try layer.has("recurrent_activation")
            ? activations.parse(layer, key: "recurrent_activation", rank: 1) : .sigmoid
        let useBias = try layer.bool("use_bias", default: true)
        let resetAfter = kind == .gru ? try layer.bool("reset_after", default: true) : false
        let spec = Recurrent(
            kind: kind, units: units, activation: activation, recurrentActivation: recurrentActivation,
            useBias: useBias, returnSequences: try layer.bool("return_sequences", default: false),
            goBackwards: try layer.bool("go_backwards", default: false), resetAfter: resetAfter)
        if activation.isAxisWise || recurrentActivation.isAxisWise {
            throw UnsupportedOption(reason: "softmax as a recurrent activation is not supported")
        }
        return spec
    }

    func recurrent(_ layer: LayerConfig, kind: RecurrentKind) throws -> LayerRecipe {
        let spec = try recurrentSpec(layer)
        let units = spec.units, useBias = spec.useBias, resetAfter = spec.resetAfter
        return LayerRecipe { shapes in
            guard shapes[0].count == 2 else {
                throw ShapeError("expects [timesteps, features] input, got \(shapes[0])")
            }
            let gates = kind.gateCount * units
            let weights =
                [
                    ExpectedWeight(role: .kernel, kerasName: "kernel", shape: [shapes[0][1], gates]),
                    ExpectedWeight(role: .recurrentKernel, kerasName: "recurrent_kernel", shape: [units, gates]),
                ] + ExpectedWeight.bias(resetAfter ? [2, gates] : [gates], when: useBias)
            return (.recurrent(spec), weights, [:])
        }
    }

    private func embedding(_ layer: LayerConfig) throws -> LayerRecipe {
        if try layer.bool("mask_zero", default: false) {
            throw UnsupportedOption(reason: "mask_zero=True is not supported (masks change how later layers run)")
        }
        let inputDim = try layer.int("input_dim")
        let outputDim = try layer.int("output_dim")
        return LayerRecipe { _ in
            (
                .embedding(inputDim: inputDim, outputDim: outputDim),
                [ExpectedWeight(role: .embeddings, kerasName: "embeddings", shape: [inputDim, outputDim])], [:]
            )
        }
    }

    private func normalization(_ layer: LayerConfig) throws -> LayerRecipe {
        let axes: [JSONValue] = layer.config["axis"]?.array ?? [layer.config["axis"] ?? .number(-1)]
        guard axes.count == 1, !axes[0].isNull else {
            throw UnsupportedOption(
                reason: "normalization over \(axes.count == 0 ? "every element" : "several axes") is not supported; use axis=-1")
        }
        let raw = try layer.axis("axis", default: -1)
        let invert = try layer.bool("invert", default: false)
        let configMean = try layer.floats("mean")
        let configVariance = try layer.floats("variance")
        return LayerRecipe { shapes in
            let axis = try Self.axis(raw, rank: shapes[0].count)
            let channels = shapes[0][axis]
            let op = Op.normalization(Normalization(axis: axis, invert: invert))
            if let configMean, let configVariance {
                // Statistics given to the constructor live in the configuration, not the weights.
                func broadcast(_ values: [Float], _ name: String) throws -> Tensor {
                    if values.count == channels { return Tensor(shape: [channels], values: values) }
                    if values.count == 1 { return Tensor(filling: values[0], shape: [channels]) }
                    throw LayerConfig.OptionError(reason: "\(name) has \(values.count) values for \(channels) channels")
                }
                return (op, [], [.mean: try broadcast(configMean, "mean"), .variance: try broadcast(configVariance, "variance")])
            }
            let weights = [
                ExpectedWeight(role: .mean, kerasName: "mean", shape: [channels], countOnly: true),
                ExpectedWeight(role: .variance, kerasName: "variance", shape: [channels], countOnly: true),
                ExpectedWeight(role: nil, kerasName: "count", shape: [], optional: true),
            ]
            return (op, weights, [:])
        }
    }
}
