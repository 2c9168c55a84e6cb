/// Checks shared by the kernels that take per-axis arrays of at most `TP_MAX_RANK` entries.
enum ShapeArrays {
    /// `TP_MAX_RANK` in `topiary.h`.
    static let maximumRank = 6

    /// Throws when `rank` axes do not fit the kernels' fixed-size arrays.
    static func check(rank: Int, node: Node) throws {
        guard rank >= 1 && rank <= maximumRank else {
            throw CodeGenError.unsupported(
                layer: node.name,
                reason: "\(node.kerasClass) over \(rank) axes is not supported; the C kernels take 1 to \(maximumRank)")
        }
    }

    /// Row-major strides of `shape`, in elements.
    static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = step
            step *= shape[axis]
        }
        return result
    }
}
