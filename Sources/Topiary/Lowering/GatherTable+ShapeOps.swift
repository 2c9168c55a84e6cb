extension GatherTable {
    /// The table of `node`, whose input has `inputShape`.
    init(node: Node, inputShape: [Int]) throws {
        guard case let .move(movement) = node.op else {
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) does not move data")
        }
        switch movement {
        case let .permute(dims): try self.init(node: node, inputShape: inputShape, permutation: dims)
        case let .zeroPadding(padding): try self.init(node: node, inputShape: inputShape, padding: padding)
        case let .cropping(cropping): try self.init(node: node, inputShape: inputShape, cropping: cropping)
        case let .upSampling(size): try self.init(node: node, inputShape: inputShape, upSampling: size)
        case let .reverse(axis): try self.init(node: node, inputShape: inputShape, reversing: axis)
        }
    }

    /// `Permute`: output axis `i` is input axis `dims[i]` (batch excluded).
    private init(node: Node, inputShape: [Int], permutation dims: [Int]) throws {
        guard dims.sorted() == Array(0..<inputShape.count) else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "permutation \(dims.map { $0 + 1 }) (1-based, as Keras writes it) does not fit input \(inputShape)")
        }
        let shape = dims.map { inputShape[$0] }
        var inputIndex = [Int](repeating: 0, count: inputShape.count)
        self.init(
            outputShape: shape, rowLength: 1,
            sources: Self.table(over: shape) { index in
                for (axis, dim) in dims.enumerated() { inputIndex[dim] = index[axis] }
                return Self.offset(of: inputIndex, in: inputShape)
            })
    }

    /// `ZeroPadding1D/2D/3D`: `padding[axis]` zeros before and after each spatial axis.
    private init(node: Node, inputShape: [Int], padding: [Pair]) throws {
        try self.init(node: node, inputShape: inputShape, border: padding, sign: 1, what: "padding")
    }

    /// `Cropping1D/2D/3D`: removes `cropping[axis]` elements before and after each spatial axis.
    private init(node: Node, inputShape: [Int], cropping: [Pair]) throws {
        try self.init(node: node, inputShape: inputShape, border: cropping, sign: -1, what: "cropping")
    }

    /// Padding and cropping move the border of each spatial axis: output position `o` reads
    /// input position `o − sign · before`.
    private init(node: Node, inputShape: [Int], border: [Pair], sign: Int, what: String) throws {
        try Self.requireSpatialRank(node, inputShape, border.count, what)
        guard border.allSatisfy({ $0.before >= 0 && $0.after >= 0 }) else {
            throw InferenceError(.invalidGraph, layer: node.name, "negative \(what) \(border.map { [$0.before, $0.after] })")
        }
        let spatial = zip(inputShape, border).map { $0 + sign * ($1.before + $1.after) }
        guard spatial.allSatisfy({ $0 > 0 }) else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(what) \(border.map { [$0.before, $0.after] }) leaves nothing of input \(inputShape)")
        }
        let inputSpatial = Array(inputShape.dropLast())
        self.init(
            outputShape: spatial + [inputShape.last!], rowLength: inputShape.last!,
            sources: Self.table(over: spatial) { index in
                Self.offset(of: zip(index, border).map { $0 - sign * $1.before }, in: inputSpatial)
            })
    }

    /// `UpSampling1D/2D/3D` (nearest neighbour): each spatial element repeated `size[axis]`
    /// times along its axis.
    private init(node: Node, inputShape: [Int], upSampling size: [Int]) throws {
        try Self.requireSpatialRank(node, inputShape, size.count, "up-sampling")
        guard size.allSatisfy({ $0 > 0 }) else {
            throw InferenceError(.invalidGraph, layer: node.name, "up-sampling factors \(size) must be positive")
        }
        let spatial = zip(inputShape, size).map { $0 * $1 }
        let inputSpatial = Array(inputShape.dropLast())
        self.init(
            outputShape: spatial + [inputShape.last!], rowLength: inputShape.last!,
            sources: Self.table(over: spatial) { index in
                Self.offset(of: zip(index, size).map { $0 / $1 }, in: inputSpatial)
            })
    }

    private static func requireSpatialRank(_ node: Node, _ inputShape: [Int], _ rank: Int, _ what: String) throws {
        guard inputShape.count == rank + 1 else {
            throw InferenceError(
                .invalidGraph, layer: node.name,
                "\(what) of \(rank) spatial axes expects an input of rank \(rank + 1) (batch excluded), got shape \(inputShape)")
        }
    }
}

extension GatherTable {
    /// Reverses the order of the elements along `axis`: a row is everything after that axis.
    private init(node: Node, inputShape: [Int], reversing axis: Int) throws {
        guard axis >= 0, axis < inputShape.count else {
            throw InferenceError(.invalidGraph, layer: node.name, "reversed axis \(axis + 1) is out of range for input \(inputShape)")
        }
        let outer = Array(inputShape[...axis])
        self.init(
            outputShape: inputShape, rowLength: Array(inputShape[(axis + 1)...]).elementCount,
            sources: Self.table(over: outer) { index in
                var source = index
                source[axis] = outer[axis] - 1 - index[axis]
                return Self.offset(of: source, in: outer)
            })
    }
}
