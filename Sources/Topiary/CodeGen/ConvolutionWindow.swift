/// The sliding-window parameters every convolution op carries. The plain, depthwise and
/// separable convolutions slide their kernels alike, so one `WindowGeometry` initializer
/// serves all of them, on the float path and on the int8 path.
protocol ConvolutionWindow {
    var kernelSize: [Int] { get }
    var strides: [Int] { get }
    var dilation: [Int] { get }
    var padding: Padding { get }
}

extension Convolution: ConvolutionWindow {}
extension DepthwiseConvolution: ConvolutionWindow {}
extension SeparableConvolution: ConvolutionWindow {}
