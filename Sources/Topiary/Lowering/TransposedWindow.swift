/// A transposed convolution as both executors run it: a 2D scatter (a 1D layer is one of
/// height 1) where input position `i` adds into output position `i · stride + k − crop` for
/// each kernel tap `k`, in the reference kernel and in the C one
/// (`tp_conv_transpose2d_f32_params`).
struct TransposedWindow: Equatable, Sendable {
    /// The layer's output shape, `[length…, filters]`.
    let outputShape: [Int]
    let inputHeight: Int
    let inputWidth: Int
    let channels: Int
    let outputHeight: Int
    let outputWidth: Int
    let filters: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let strideHeight: Int
    let strideWidth: Int
    /// Positions cut from the start of the full scatter, per axis.
    let cropHeight: Int
    let cropWidth: Int

    init(node: Node, inputShape: [Int], convolution c: ConvolutionTranspose) throws {
        guard c.rank == 1 || c.rank == 2, inputShape.count == c.rank + 1 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "a \(c.rank)D transposed convolution expects an input of rank \(c.rank + 1) (batch excluded), got \(inputShape)")
        }
        do {
            outputShape = try Op.convTranspose(c).outputShape(for: [inputShape])
        } catch let error as ShapeError {
            throw InferenceError(.invalidGraph, layer: node.name, error.message)
        }
        // 2D: (height, width) as they are; 1D: height 1 and the layer's axis as the width.
        func pair(_ values: [Int], _ height: Int) -> (Int, Int) { c.rank == 1 ? (height, values[0]) : (values[0], values[1]) }
        (inputHeight, inputWidth) = pair(Array(inputShape.dropLast()), 1)
        channels = inputShape.last!
        (outputHeight, outputWidth) = pair(Array(outputShape.dropLast()), 1)
        filters = c.filters
        (kernelHeight, kernelWidth) = pair(c.kernelSize, 1)
        (strideHeight, strideWidth) = pair(c.strides, 1)
        (cropHeight, cropWidth) = pair((0..<c.rank).map { c.leadingCrop(inputShape[$0], axis: $0) }, 0)
    }

    var outputPositions: Int { outputHeight * outputWidth }
}
