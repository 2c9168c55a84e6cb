/// `Dense`: `activation(x · kernel + bias)` over the last axis; a rank>1 input is treated as
/// rows of its last axis, as Keras does.
struct DenseKernel: FloatKernel {
    let inputWidth: Int
    let rows: Int
    let dense: Dense
    let kernel: [Float]
    let bias: [Float]?
    let outputShape: [Int]

    init(node: Node, inputShape: [Int], parameters: Dense) throws {
        guard let width = inputShape.last else {
            throw InferenceError(.invalidGraph, layer: node.name, "Dense needs an input of rank 1 or more, got a scalar")
        }
        inputWidth = width
        rows = inputShape.dropLast().reduce(1, *)
        dense = parameters
        kernel = try node.weight(.kernel, shape: [width, parameters.units]).values
        bias = try node.optionalWeight(.bias, shape: [parameters.units], required: parameters.useBias)?.values
        outputShape = Array(inputShape.dropLast()) + [parameters.units]
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = MatrixProduct.start(rows: rows, bias: bias, columns: dense.units)
        inputs[0].values.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    MatrixProduct.accumulate(rows: rows, inner: inputWidth, columns: dense.units, x: x, w: w, into: o)
                }
            }
        }
        dense.activation.apply(to: &out, shape: outputShape)
        return Tensor(shape: outputShape, values: out)
    }
}
