/// What a node computes. Shapes never include the batch axis; data is channels-last.
///
/// Spatial parameters (`kernelSize`, `strides`, …) have one entry per spatial axis: one for
/// the 1D layers, two (height, width) for the 2D layers.
public enum Op: Equatable, Sendable {
    /// A model input; the node's `outputShape` is the input's shape.
    case input
    /// Layers that do nothing at inference (Dropout, GaussianNoise, …).
    case identity
    /// `y = activation(x · kernel + bias)` over the last axis. Weights: `kernel [in, units]`, `bias [units]`.
    case dense(Dense)
    /// Weights: `kernel [k…, cin, filters]`, `bias [filters]`.
    case conv(Convolution)
    /// Weights: `depthwiseKernel [k…, cin, multiplier]`, `bias [cin·multiplier]`.
    case depthwiseConv(DepthwiseConvolution)
    /// Depthwise then 1×1 pointwise. Weights: `depthwiseKernel [k…, cin, multiplier]`,
    /// `pointwiseKernel [1…, cin·multiplier, filters]`, `bias [filters]`.
    case separableConv(SeparableConvolution)
    case pool(Pooling)
    case globalPool(GlobalPooling)
    case flatten
    /// Reshape to `targetShape` (fully resolved, no -1).
    case reshape(targetShape: [Int])
    /// `gamma · (x − movingMean) / sqrt(movingVariance + epsilon) + beta` along `axis`.
    /// Weights: `gamma`, `beta`, `movingMean`, `movingVariance`, each `[channels]` (gamma and
    /// beta are filled with 1 and 0 when the layer had `scale`/`center` off).
    case batchNorm(BatchNorm)
    case activation(Activation)
    /// `x > 0 ? x : alpha · x` with `alpha` shaped like the input, with shared axes of size 1.
    /// Weights: `alpha`.
    case prelu
    /// An op whose output is its input's values moved, not computed (`Movement`).
    case move(Movement)
    /// Element-wise combination of two or more inputs of the same shape.
    case merge(MergeKind)
    /// Concatenates inputs along `axis` (0-based, batch excluded).
    case concatenate(axis: Int)
    case recurrent(Recurrent)
    /// Looks up rows of `embeddings [inputDim, outputDim]` by the (integer-valued) input.
    case embedding(inputDim: Int, outputDim: Int)
    /// `x · scale + offset`, each broadcast along the last axis (length 1 or channels).
    case rescaling(scale: [Float], offset: [Float])
    /// `(x − mean) / max(sqrt(variance), epsilon)` along `axis`, or its inverse.
    /// Weights: `mean`, `variance`, each `[channels]`.
    case normalization(Normalization)
    /// The transpose (gradient) of a convolution: each input position adds the kernel, scaled
    /// by its values, into the output window it maps to. Weights: `kernel [k…, filters, cin]`
    /// (Keras's layout), `bias [filters]`.
    case convTranspose(ConvolutionTranspose)
    /// `(x − mean) / sqrt(variance + epsilon) · gamma + beta`, the statistics taken over `axes`
    /// for each position of the other axes. Weights: `gamma`, `beta`, each holding one value per
    /// position of the normalised axes (filled with 1 and 0 when `scale`/`center` were off;
    /// absent, meaning 1 and 0, in the statistics step of a group normalisation).
    case layerNorm(LayerNormalization)
}

extension Op {
    /// Whether the op only moves its input's values (`Movement`), so that one table of source
    /// rows (`GatherTable`) describes it.
    public var onlyMovesValues: Bool {
        if case .move = self { return true }
        return false
    }
}

public struct ConvolutionTranspose: Equatable, Sendable {
    public var filters: Int
    public var kernelSize: [Int]
    public var strides: [Int]
    /// `.valid` or `.same`.
    public var padding: Padding
    /// Extra positions at the end of each axis (Keras's `output_padding`), or nil for Keras's
    /// default output length.
    public var outputPadding: [Int]?
    public var useBias: Bool
    public var activation: Activation
    public init(
        filters: Int, kernelSize: [Int], strides: [Int], padding: Padding, outputPadding: [Int]?, useBias: Bool, activation: Activation
    ) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.outputPadding = outputPadding
        self.useBias = useBias
        self.activation = activation
    }
    public var rank: Int { kernelSize.count }

    /// The output length along `axis` for an input of `length` (Keras's `deconv_output_length`).
    public func outputLength(_ length: Int, axis: Int) -> Int {
        let k = kernelSize[axis], s = strides[axis]
        guard let extra = outputPadding?[axis] else {
            return padding == .same ? length * s : length * s + max(k - s, 0)
        }
        let pad = padding == .same ? k / 2 : 0
        return (length - 1) * s + k - 2 * pad + extra
    }

    /// The positions cut from the start of the full scatter along `axis` (TensorFlow's
    /// `conv_transpose`: half the surplus of the full length over the output length, rounded down).
    public func leadingCrop(_ length: Int, axis: Int) -> Int {
        guard padding == .same else { return 0 }
        let full = (length - 1) * strides[axis] + kernelSize[axis]
        return max(full - outputLength(length, axis: axis), 0) / 2
    }
}

public struct LayerNormalization: Equatable, Sendable {
    /// The normalised axes, sorted, counted from 0 in the batch-less shape.
    public var axes: [Int]
    public var epsilon: Float
    public init(axes: [Int], epsilon: Float) {
        self.axes = axes
        self.epsilon = epsilon
    }
}

/// A `(before, after)` amount along one axis.
public struct Pair: Hashable, Sendable {
    public var before: Int
    public var after: Int
    public init(_ before: Int, _ after: Int) {
        self.before = before
        self.after = after
    }
}

public enum Padding: String, Sendable, Equatable {
    case valid, same, causal
}

public struct Dense: Equatable, Sendable {
    public var units: Int
    public var useBias: Bool
    public var activation: Activation
    public init(units: Int, useBias: Bool, activation: Activation) {
        self.units = units
        self.useBias = useBias
        self.activation = activation
    }
}

public struct Convolution: WindowedLayer, Equatable, Sendable {
    public var filters: Int
    public var window: SlidingWindow
    public var useBias: Bool
    public var activation: Activation
    public init(filters: Int, kernelSize: [Int], strides: [Int], dilation: [Int], padding: Padding, useBias: Bool, activation: Activation) {
        self.filters = filters
        window = SlidingWindow(kernelSize: kernelSize, strides: strides, dilation: dilation, padding: padding)
        self.useBias = useBias
        self.activation = activation
    }
}

public struct DepthwiseConvolution: WindowedLayer, Equatable, Sendable {
    public var depthMultiplier: Int
    public var window: SlidingWindow
    public var useBias: Bool
    public var activation: Activation
    public init(
        depthMultiplier: Int, kernelSize: [Int], strides: [Int], dilation: [Int], padding: Padding, useBias: Bool, activation: Activation
    ) {
        self.depthMultiplier = depthMultiplier
        window = SlidingWindow(kernelSize: kernelSize, strides: strides, dilation: dilation, padding: padding)
        self.useBias = useBias
        self.activation = activation
    }
}

/// A depthwise filter (no bias) and a 1x1 pointwise convolution with the layer's bias and
/// activation.
public struct SeparableConvolution: WindowedLayer, Equatable, Sendable {
    public var filters: Int
    public var depthMultiplier: Int
    public var window: SlidingWindow
    public var useBias: Bool
    public var activation: Activation
    public init(
        filters: Int, depthMultiplier: Int, kernelSize: [Int], strides: [Int], dilation: [Int], padding: Padding, useBias: Bool,
        activation: Activation
    ) {
        self.filters = filters
        self.depthMultiplier = depthMultiplier
        window = SlidingWindow(kernelSize: kernelSize, strides: strides, dilation: dilation, padding: padding)
        self.useBias = useBias
        self.activation = activation
    }
}

public enum PoolKind: String, Sendable, Equatable {
    case max, average
}

public struct Pooling: Equatable, Sendable {
    public var kind: PoolKind
    public var poolSize: [Int]
    public var strides: [Int]
    /// `.same` averages only the positions inside the input, as TensorFlow does.
    public var padding: Padding
    public init(kind: PoolKind, poolSize: [Int], strides: [Int], padding: Padding) {
        self.kind = kind
        self.poolSize = poolSize
        self.strides = strides
        self.padding = padding
    }
    public var rank: Int { poolSize.count }
}

public struct GlobalPooling: Equatable, Sendable {
    public var kind: PoolKind
    /// Number of spatial axes reduced (1 or 2).
    public var rank: Int
    public var keepDims: Bool
    public init(kind: PoolKind, rank: Int, keepDims: Bool) {
        self.kind = kind
        self.rank = rank
        self.keepDims = keepDims
    }
}

public struct BatchNorm: Equatable, Sendable {
    /// The channel axis, counted from 0 in the batch-less shape (Keras's `axis=-1` on a
    /// `[h, w, c]` tensor is 2 here).
    public var axis: Int
    public var epsilon: Float
    public init(axis: Int, epsilon: Float) {
        self.axis = axis
        self.epsilon = epsilon
    }
}

public enum MergeKind: String, Sendable, Equatable {
    case add, subtract, multiply, average, maximum, minimum
}

public enum RecurrentKind: String, Sendable, Equatable {
    case simpleRNN, gru, lstm

    /// Number of gate blocks in the kernels: 1, 3 (z, r, h) and 4 (i, f, c, o).
    public var gateCount: Int {
        switch self {
        case .simpleRNN: return 1
        case .gru: return 3
        case .lstm: return 4
        }
    }
}

/// A recurrent layer over inputs `[timesteps, features]`.
///
/// Weights: `kernel [features, gates·units]`, `recurrentKernel [units, gates·units]`, `bias`
/// (`[gates·units]`, or `[2, 3·units]` for a GRU with `resetAfter`: input bias then recurrent bias).
/// Gate order is Keras's: GRU `z, r, h`; LSTM `i, f, c, o`.
public struct Recurrent: Equatable, Sendable {
    public var kind: RecurrentKind
    public var units: Int
    public var activation: Activation
    /// Gate activation (GRU, LSTM); unused by SimpleRNN.
    public var recurrentActivation: Activation
    public var useBias: Bool
    public var returnSequences: Bool
    public var goBackwards: Bool
    /// GRU only: apply the reset gate after the recurrent matrix product (Keras's default).
    public var resetAfter: Bool
    public init(
        kind: RecurrentKind, units: Int, activation: Activation, recurrentActivation: Activation, useBias: Bool, returnSequences: Bool,
        goBackwards: Bool, resetAfter: Bool
    ) {
        self.kind = kind
        self.units = units
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.useBias = useBias
        self.returnSequences = returnSequences
        self.goBackwards = goBackwards
        self.resetAfter = resetAfter
    }
}

public struct Normalization: Equatable, Sendable {
    /// The axis the statistics run along, counted from 0 in the batch-less shape.
    public var axis: Int
    public var invert: Bool
    public init(axis: Int, invert: Bool) {
        self.axis = axis
        self.invert = invert
    }
    /// Keras's floor on the standard deviation.
    public static let epsilon: Float = 1e-7
}
