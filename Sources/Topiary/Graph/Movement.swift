/// An op that only moves its input's values, without arithmetic: every output element is one
/// input element or padding. One table of source rows (`GatherTable`) describes each of them,
/// so quantization passes them through, training routes gradients back through the table and
/// the kernels copy rows; a new op of this kind is a case here, its table and its C kernel.
public enum Movement: Equatable, Sendable {
    /// Output axis `i` is input axis `dims[i]` (0-based, batch excluded).
    case permute(dims: [Int])
    /// Pads each spatial axis with zeros: `padding[axis] = (before, after)`.
    case zeroPadding(padding: [Pair])
    /// Removes `cropping[axis] = (before, after)` elements of each spatial axis.
    case cropping(cropping: [Pair])
    /// Repeats each spatial element `size[axis]` times (nearest neighbour).
    case upSampling(size: [Int])
    /// Reverses the order of the elements along `axis` (0-based, batch excluded): the backward
    /// half of a `Bidirectional` sequence put back in time order.
    case reverse(axis: Int)

    /// The output shape for an input of `shape`; `checked` turns an overflowed dimension into an error.
    func outputShape(for shape: [Int], checked: (Int?) throws -> Int) throws -> [Int] {
        func requireSpatialRank(_ rank: Int) throws {
            guard shape.count == rank + 1 else {
                throw ShapeError("expects a \(rank)D channels-last input of rank \(rank + 1) (batch excluded), got shape \(shape)")
            }
        }
        switch self {
        case let .permute(dims):
            guard dims.sorted() == Array(0..<shape.count) else {
                throw ShapeError("permutation \(dims.map { $0 + 1 }) does not fit input \(shape)")
            }
            return dims.map { shape[$0] }
        case let .zeroPadding(padding):
            try requireSpatialRank(padding.count)
            return try zip(shape, padding).map { try checked(CheckedArithmetic.sum($0, $1.before, $1.after)) } + [shape.last!]
        case let .cropping(cropping):
            try requireSpatialRank(cropping.count)
            let lengths = zip(shape, cropping).map { $0 - $1.before - $1.after }
            guard lengths.allSatisfy({ $0 > 0 }) else {
                throw ShapeError("cropping \(cropping.map { [$0.before, $0.after] }) removes all of input \(shape)")
            }
            return lengths + [shape.last!]
        case let .upSampling(size):
            try requireSpatialRank(size.count)
            guard size.allSatisfy({ $0 > 0 }) else { throw ShapeError("up-sampling factors \(size) must be positive") }
            return try zip(shape, size).map { try checked(CheckedArithmetic.product($0, $1)) } + [shape.last!]
        case let .reverse(axis):
            guard axis >= 0, axis < shape.count else { throw ShapeError("reversed axis \(axis + 1) is out of range for \(shape)") }
            return shape
        }
    }

    /// Whether each position's channels (the last axis of an input of `rank` axes) move
    /// together and in order, so that removing a channel from the input removes the same
    /// channel from the output.
    public func keepsChannels(rank: Int) -> Bool {
        switch self {
        case .permute: return false
        case .zeroPadding, .cropping, .upSampling: return true
        case let .reverse(axis): return axis < rank - 1
        }
    }

    /// A short human description, e.g. `upsample x2x2`.
    public var summary: String {
        switch self {
        case let .permute(dims): return "permute \(dims.map { $0 + 1 })"
        case let .zeroPadding(padding): return "zero-pad " + padding.map { "\($0.before),\($0.after)" }.joined(separator: " ")
        case let .cropping(cropping): return "crop " + cropping.map { "\($0.before),\($0.after)" }.joined(separator: " ")
        case let .upSampling(size): return "upsample x" + size.map(String.init).joined(separator: "x")
        case let .reverse(axis): return "reverse axis \(axis + 1)"
        }
    }
}
