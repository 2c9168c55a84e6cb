/// An op that only moves values (`Movement`) as one table: for every output row,
/// the input row it copies, or -1 for a row of padding (`GatherTable+ShapeOps` builds it for
/// each op).
///
/// A row is one pixel's channels for the spatial ops, everything after the reversed axis for
/// a reversal and one element for a permutation, so at run time all of them are the same
/// contiguous copy. The float and int8 reference kernels, the training pass and the int8 C
/// (`tp_gather_s8`) read the same table.
struct GatherTable: Sendable {
    let outputShape: [Int]
    /// Elements per row: the channels, or 1.
    let rowLength: Int
    /// For each output row, the input row it copies, or -1 for padding.
    let sources: [Int32]

    init(outputShape: [Int], rowLength: Int, sources: [Int32]) {
        self.outputShape = outputShape
        self.rowLength = rowLength
        self.sources = sources
    }

    /// `input` moved by the table, padding rows filled with `padding`.
    func apply<Element>(_ input: [Element], padding: Element) -> [Element] {
        var out = [Element](repeating: padding, count: sources.count * rowLength)
        let n = rowLength
        input.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for (row, source) in sources.enumerated() where source >= 0 {
                    let from = Int(source) * n, to = row * n
                    for c in 0..<n { o[to + c] = x[from + c] }
                }
            }
        }
        return out
    }

    /// Visits every multi-index of `shape` in row-major order and records `source(index)`
    /// (`nil` for "no source").
    static func table(over shape: [Int], _ source: ([Int]) -> Int?) -> [Int32] {
        var table = [Int32](repeating: -1, count: shape.elementCount)
        var index = [Int](repeating: 0, count: shape.count)
        for row in table.indices {
            if let value = source(index) { table[row] = Int32(value) }
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return table
    }

    /// Row-major offset of `index` in `shape`, or nil when it lies outside.
    static func offset(of index: [Int], in shape: [Int]) -> Int? {
        var offset = 0
        for (i, length) in zip(index, shape) {
            guard i >= 0, i < length else { return nil }
            offset = offset * length + i
        }
        return offset
    }
}
