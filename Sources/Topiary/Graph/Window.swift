/// Geometry of a sliding window (convolution or pooling) along one axis, as TensorFlow computes it.
public struct Window: Equatable, Sendable {
    public var inputLength: Int
    public var kernel: Int
    public var stride: Int
    public var dilation: Int
    public var padding: Padding

    public init(inputLength: Int, kernel: Int, stride: Int, dilation: Int = 1, padding: Padding) {
        self.inputLength = inputLength
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
    }

    /// Span of the dilated kernel.
    public var effectiveKernel: Int { (kernel - 1) * dilation + 1 }

    /// Output length: `valid` keeps whole windows, `same` and `causal` give `ceil(in / stride)`.
    public var outputLength: Int {
        switch padding {
        case .valid:
            let span = inputLength - effectiveKernel
            return span < 0 ? 0 : span / stride + 1
        case .same, .causal:
            return (inputLength + stride - 1) / stride
        }
    }

    /// Positions of padding before the first input element. For `same`, TensorFlow pads
    /// `max((out − 1)·s + k_eff − in, 0)` in total with the smaller half first; `causal`
    /// pads `k_eff − 1` before and nothing after.
    public var padBefore: Int {
        switch padding {
        case .valid: return 0
        case .causal: return effectiveKernel - 1
        case .same:
            let total = max((outputLength - 1) * stride + effectiveKernel - inputLength, 0)
            return total / 2
        }
    }
}
