/// A shape that does not fit an op, with the reason.
public struct ShapeError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Op {
    /// The output shape of this op for the given input shapes (batch axis excluded).
    ///
    /// Throws a `ShapeError` when the inputs do not fit (wrong rank, empty outputs,
    /// mismatched merge inputs…).
    public func outputShape(for inputs: [[Int]]) throws -> [Int] {
        let shape = try uncheckedOutputShape(for: inputs)
        guard shape.checkedElementCount != nil else {
            throw ShapeError("output shape \(shape) holds more values than a 64-bit count can hold")
        }
        return shape
    }

    /// The output shape, each dimension computed with overflow checks; the element count is
    /// checked by the caller.
    private func uncheckedOutputShape(for inputs: [[Int]]) throws -> [Int] {
        func checked(_ value: Int?) throws -> Int {
            guard let value else { throw ShapeError("a dimension computed from input \(inputs.first ?? []) overflows a 64-bit count") }
            return value
        }
        guard let first = inputs.first else {
            if case .input = self { return [] }
            throw ShapeError("has no input")
        }
        func requireRank(_ rank: Int, _ what: String) throws {
            guard first.count == rank else {
                throw ShapeError("expects a \(what) input of rank \(rank) (batch excluded), got shape \(first)")
            }
        }
        func spatial(_ kernel: [Int], _ strides: [Int], _ dilation: [Int], _ padding: Padding) throws -> [Int] {
            let rank = kernel.count
            try requireRank(rank + 1, "\(rank)D channels-last")
            for axis in 0..<rank {
                // Window's arithmetic (effective kernel, padding) stays within these bounds.
                guard kernel[axis] > 0, strides[axis] > 0, dilation[axis] > 0 else {
                    throw ShapeError("window \(kernel), stride \(strides) and dilation \(dilation) must be positive")
                }
                guard let span = CheckedArithmetic.product(kernel[axis] - 1, dilation[axis]),
                    CheckedArithmetic.sum(span, first[axis], strides[axis], 1) != nil,
                    CheckedArithmetic.product(first[axis], strides[axis]) != nil
                else {
                    throw ShapeError(
                        "window \(kernel) (stride \(strides), dilation \(dilation)) on input \(first) overflows a 64-bit count")
                }
            }
            let lengths = (0..<rank).map {
                Window(inputLength: first[$0], kernel: kernel[$0], stride: strides[$0], dilation: dilation[$0], padding: padding)
                    .outputLength
            }
            guard lengths.allSatisfy({ $0 > 0 }) else {
                throw ShapeError("window \(kernel) (dilation \(dilation)) does not fit input \(first) with '\(padding.rawValue)' padding")
            }
            return lengths
        }

        switch self {
        case .input, .identity, .activation, .prelu, .batchNorm, .rescaling, .normalization:
            return first
        case let .dense(d):
            guard !first.isEmpty else { throw ShapeError("expects at least a 1D input") }
            return Array(first.dropLast()) + [d.units]
        case let .conv(c):
            return try spatial(c.kernelSize, c.strides, c.dilation, c.padding) + [c.filters]
        case let .depthwiseConv(c):
            return try spatial(c.kernelSize, c.strides, c.dilation, c.padding) + [
                try checked(CheckedArithmetic.product(first.last!, c.depthMultiplier))
            ]
        case let .separableConv(c):
            return try spatial(c.kernelSize, c.strides, c.dilation, c.padding) + [c.filters]
        case let .pool(p):
            return try spatial(p.poolSize, p.strides, Array(repeating: 1, count: p.rank), p.padding) + [first.last!]
        case let .globalPool(g):
            try requireRank(g.rank + 1, "\(g.rank)D channels-last")
            return g.keepDims ? Array(repeating: 1, count: g.rank) + [first.last!] : [first.last!]
        case .flatten:
            return [try checked(first.checkedElementCount)]
        case let .reshape(target):
            let count = try checked(first.checkedElementCount)
            guard target.checkedElementCount == count else {
                throw ShapeError("cannot reshape \(first) (\(count) elements) to \(target)")
            }
            return target
        case let .move(movement):
            return try movement.outputShape(for: first, checked: checked)
        case let .merge(kind):
            guard inputs.count >= 2 else { throw ShapeError("\(kind.rawValue) needs at least two inputs") }
            if kind == .subtract, inputs.count != 2 { throw ShapeError("subtract needs exactly two inputs") }
            for shape in inputs.dropFirst() where shape != first {
                throw ShapeError("\(kind.rawValue) inputs have different shapes \(inputs)")
            }
            return first
        case let .concatenate(axis):
            guard axis >= 0, axis < first.count else { throw ShapeError("concatenation axis out of range for \(first)") }
            var total = 0
            for shape in inputs {
                var a = shape, b = first
                guard a.count == b.count else { throw ShapeError("concatenated inputs have different ranks \(inputs)") }
                total = try checked(CheckedArithmetic.sum(total, a[axis]))
                a[axis] = 0
                b[axis] = 0
                guard a == b else { throw ShapeError("concatenated inputs differ outside axis \(axis + 1): \(inputs)") }
            }
            var out = first
            out[axis] = total
            return out
        case let .recurrent(r):
            try requireRank(2, "[timesteps, features]")
            return r.returnSequences ? [first[0], r.units] : [r.units]
        case let .embedding(_, outputDim):
            return first + [outputDim]
        case let .convTranspose(c):
            try requireRank(c.rank + 1, "\(c.rank)D channels-last")
            guard c.strides.count == c.rank, c.outputPadding.map({ $0.count == c.rank }) ?? true,
                (c.kernelSize + c.strides).allSatisfy({ $0 > 0 && $0 < 1 << 20 }), first.allSatisfy({ $0 < 1 << 30 })
            else {
                throw ShapeError("transposed window \(c.kernelSize) (stride \(c.strides)) does not fit input \(first)")
            }
            let lengths = (0..<c.rank).map { c.outputLength(first[$0], axis: $0) }
            guard lengths.allSatisfy({ $0 > 0 }) else {
                throw ShapeError("transposed window \(c.kernelSize) (stride \(c.strides)) gives an empty output for input \(first)")
            }
            return lengths + [c.filters]
        case let .layerNorm(l):
            guard !l.axes.isEmpty, l.axes.allSatisfy({ $0 >= 0 && $0 < first.count }), l.axes == Array(Set(l.axes)).sorted() else {
                throw ShapeError("normalised axes \(l.axes.map { $0 + 1 }) do not fit input \(first)")
            }
            return first
        }
    }
}
