/// `UpSampling1D/2D/3D` (nearest neighbour): each spatial element is repeated `size[axis]`
/// times along its axis.
struct UpSamplingKernel: FloatKernel {
    let inputShape: [Int]
    let outputShape: [Int]
    let size: [Int]

    init(node: Node, inputShape: [Int], size: [Int]) throws {
        guard inputShape.count == size.count + 1 else {
            throw InferenceError(.invalidGraph, layer: node.name,
                                 "up-sampling of \(size.count) spatial axes expects an input of rank \(size.count + 1) (batch excluded), got shape \(inputShape)")
        }
        guard size.allSatisfy({ $0 > 0 }) else {
            throw InferenceError(.invalidGraph, layer: node.name, "up-sampling factors \(size) must be positive")
        }
        self.inputShape = inputShape
        self.size = size
        outputShape = zip(inputShape, size).map { $0 * $1 } + [inputShape.last!]
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let channels = outputShape.last!
        let rank = size.count
        var out = [Float](repeating: 0, count: outputShape.elementCount)
        var position = [Int](repeating: 0, count: rank)
        let positions = outputShape.dropLast().reduce(1, *)
        inputs[0].values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for p in 0..<positions {
                    var source = 0
                    for axis in 0..<rank { source = source * inputShape[axis] + position[axis] / size[axis] }
                    for c in 0..<channels { o[p * channels + c] = x[source * channels + c] }
                    var axis = rank - 1
                    while axis >= 0 {
                        position[axis] += 1
                        if position[axis] < outputShape[axis] { break }
                        position[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return Tensor(shape: outputShape, values: out)
    }
}
