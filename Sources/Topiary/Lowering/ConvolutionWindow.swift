/// The sliding-window parameters every convolution op carries. The plain, depthwise and
/// separable convolutions slide their kernels alike, so one `WindowGeometry` initializer
/// serves all of them, in the reference kernels and the C emitters.
protocol ConvolutionWindow {
    var kernelSize: [Int] { get }
    var strides: [Int] { get }
    var dilation: [Int] { get }
    var padding: Padding { get }
}

extension Convolution: ConvolutionWindow {}
extension DepthwiseConvolution: ConvolutionWindow {}
extension SeparableConvolution: ConvolutionWindow {}
