/// Keras activation names (and serialized activation functions) to `Activation`.
struct ActivationParser {
    /// Keras 2 and Keras 3 define `hard_sigmoid` differently; the file's version decides.
    var keras2: Bool

    /// The activation named in option `key` of `layer` (absent or null means linear).
    /// `rank` is the rank of the tensor it applies to, to resolve softmax's last axis.
    func parse(_ layer: LayerConfig, key: String = "activation", rank: Int) throws -> Activation {
        guard let value = layer.config[key], !value.isNull else { return .linear }
        let name: String
        if let string = value.string {
            name = string
        } else if let object = value.object, let inner = object["config"]?.string ?? object["class_name"]?.string {
            // Keras 3 may serialize a built-in as {"module": "keras.activations", "class_name": "function", "config": "relu"}.
            name = inner
        } else {
            throw LayerConfig.OptionError(reason: "option '\(key)' is not an activation name")
        }
        guard let activation = named(name, rank: rank) else {
            throw UnsupportedOption(reason: "activation '\(name)' is not a built-in Keras activation Topiary supports")
        }
        return activation
    }

    func named(_ name: String, rank: Int) -> Activation? {
        let lastAxis = max(rank - 1, 0)
        switch name {
        case "linear", "identity": return .linear
        case "relu": return .plainRelu
        case "relu6": return .relu(negativeSlope: 0, maxValue: 6, threshold: 0)
        case "leaky_relu": return .relu(negativeSlope: 0.2, maxValue: nil, threshold: 0)
        case "sigmoid": return .sigmoid
        case "hard_sigmoid": return keras2 ? .hardSigmoidKeras2 : .hardSigmoid
        case "tanh": return .tanh
        case "softmax": return .softmax(axis: lastAxis)
        case "log_softmax": return .logSoftmax(axis: lastAxis)
        case "elu": return .elu(alpha: 1)
        case "selu": return .selu
        case "softplus": return .softplus
        case "softsign": return .softsign
        case "swish", "silu": return .swish
        case "gelu": return .gelu(approximate: false)
        case "exponential": return .exponential
        case "hard_swish", "hard_silu": return .hardSwish
        case "mish": return .mish
        default: return nil
        }
    }
}

/// An option value that Keras accepts but Topiary does not convert.
struct UnsupportedOption: Error {
    var reason: String
}
