/// `ZeroPadding1D/2D/3D` and `Cropping1D/2D/3D`: moving the border of each spatial axis.
///
/// Both are the same copy: output position `o` along a spatial axis reads input position
/// `o + offset` (offset `-before` for padding, `+before` for cropping); positions outside the
/// input are zero. Channels (the last axis) are copied as contiguous rows.
struct BorderKernel: FloatKernel {
    let inputShape: [Int]
    let outputShape: [Int]
    let offsets: [Int]

    init(node: Node, inputShape: [Int], padding: [Pair]) throws {
        try self.init(node: node, inputShape: inputShape, amounts: padding, sign: 1)
    }

    init(node: Node, inputShape: [Int], cropping: [Pair]) throws {
        try self.init(node: node, inputShape: inputShape, amounts: cropping, sign: -1)
    }

    private init(node: Node, inputShape: [Int], amounts: [Pair], sign: Int) throws {
        let what = sign > 0 ? "padding" : "cropping"
        guard inputShape.count == amounts.count + 1 else {
            throw InferenceError(.invalidGraph, layer: node.name,
                                 "\(what) of \(amounts.count) spatial axes expects an input of rank \(amounts.count + 1) (batch excluded), got shape \(inputShape)")
        }
        guard amounts.allSatisfy({ $0.before >= 0 && $0.after >= 0 }) else {
            throw InferenceError(.invalidGraph, layer: node.name, "negative \(what) \(amounts.map { [$0.before, $0.after] })")
        }
        let spatial = zip(inputShape, amounts).map { $0 + sign * ($1.before + $1.after) }
        guard spatial.allSatisfy({ $0 > 0 }) else {
            throw InferenceError(.invalidGraph, layer: node.name,
                                 "\(what) \(amounts.map { [$0.before, $0.after] }) leaves nothing of input \(inputShape)")
        }
        self.inputShape = inputShape
        outputShape = spatial + [inputShape.last!]
        offsets = amounts.map { -sign * $0.before }
    }

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        let channels = outputShape.last!
        let rank = offsets.count
        var out = [Float](repeating: 0, count: outputShape.elementCount)
        var position = [Int](repeating: 0, count: rank)
        let positions = outputShape.dropLast().reduce(1, *)
        inputs[0].values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for p in 0..<positions {
                    var source = 0
                    var inside = true
                    for axis in 0..<rank {
                        let i = position[axis] + offsets[axis]
                        if i < 0 || i >= inputShape[axis] { inside = false; break }
                        source = source * inputShape[axis] + i
                    }
                    if inside {
                        for c in 0..<channels { o[p * channels + c] = x[source * channels + c] }
                    }
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
