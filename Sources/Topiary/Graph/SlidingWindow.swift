/// The window a convolution slides over its input: the kernel's extent, stride and dilation
/// along each spatial axis, and the padding. The plain, depthwise and separable convolutions
/// slide their kernels alike, so one `WindowGeometry` serves all three, in the reference
/// kernels and the C emitters, and a separable layer hands its window to its depthwise half.
public struct SlidingWindow: Equatable, Sendable {
    public var kernelSize: [Int]
    public var strides: [Int]
    public var dilation: [Int]
    public var padding: Padding

    public init(kernelSize: [Int], strides: [Int], dilation: [Int], padding: Padding) {
        self.kernelSize = kernelSize
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
    }

    /// Spatial axes.
    public var rank: Int { kernelSize.count }

    /// The same window over one more spatial axis of extent 1 in front: a 1D layer run as a 2D
    /// one of height 1.
    public mutating func insertLeadingAxis() {
        kernelSize.insert(1, at: 0)
        strides.insert(1, at: 0)
        dilation.insert(1, at: 0)
    }
}

/// A layer that slides a `SlidingWindow` over its input; the window's fields read and write as
/// the layer's own.
public protocol WindowedLayer {
    var window: SlidingWindow { get set }
}

extension WindowedLayer {
    public var kernelSize: [Int] {
        get { window.kernelSize }
        set { window.kernelSize = newValue }
    }
    public var strides: [Int] {
        get { window.strides }
        set { window.strides = newValue }
    }
    public var dilation: [Int] {
        get { window.dilation }
        set { window.dilation = newValue }
    }
    public var padding: Padding {
        get { window.padding }
        set { window.padding = newValue }
    }
    public var rank: Int { window.rank }
}
