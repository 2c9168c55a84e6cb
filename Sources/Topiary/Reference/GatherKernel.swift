/// Ops that only move data: `Permute`, `ZeroPadding`, `Cropping` and `UpSampling`.
///
/// Each is a table, computed once when the engine is built, giving for every output row the
/// input row it copies (or -1 for a row of zeros). A row is one pixel's channels for the
/// spatial ops and one element for `Permute`, so at run time all four are the same
/// contiguous copy.
struct GatherKernel: FloatKernel {
    let outputShape: [Int]
    /// Elements per row: the channels, or 1.
    let rowLength: Int
    /// For each output row, the input row it copies, or -1 for zeros.
    let sources: [Int32]

    func forward(_ inputs: [Tensor]) throws -> Tensor {
        var out = [Float](repeating: 0, count: outputShape.elementCount)
        let n = rowLength
        inputs[0].values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for (row, source) in sources.enumerated() where source >= 0 {
                    let from = Int(source) * n, to = row * n
                    for c in 0..<n { o[to + c] = x[from + c] }
                }
            }
        }
        return Tensor(shape: outputShape, values: out)
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
