/// The int8 weight rows of one layer in one `SparseFormat`, as the arrays the C kernels read.
///
/// Only the arrays of the format are non-empty: `values` always (all weights for dense,
/// nonzeros for bitmask and CSR, entries for N:M); `mask` for bitmask; `counts` and `indices`
/// for CSR; `positions` for N:M.
public struct PackedRows: Equatable, Sendable {
    public var format: SparseFormat
    public var rows: Int
    public var rowLength: Int
    public var values: [Int8] = []
    public var mask: [UInt8] = []
    /// CSR: entries of each segment, `[rows, segments]`.
    public var counts: [UInt8] = []
    /// CSR: each entry's input index within its segment.
    public var indices: [UInt8] = []
    public var positions: [UInt8] = []
    /// Weights that are not zero.
    public var nonzeros: Int

    /// Bytes of the values.
    public var valueBytes: Int { values.count }
    /// Bytes that say where the values go: mask, segment counts and indices, or position
    /// fields.
    public var indexBytes: Int { mask.count + counts.count + indices.count + positions.count }
    /// Stored weights and indices.
    public var bytes: Int { valueBytes + indexBytes }

    /// The rows back as dense `[rows, rowLength]` int8, for checking a packing.
    public func unpacked() -> [Int8] {
        var dense = [Int8](repeating: 0, count: rows * rowLength)
        switch format {
        case .dense:
            dense = values
        case .bitmask:
            let bytesPerRow = (rowLength + 7) / 8
            var next = 0
            for r in 0..<rows {
                for j in 0..<rowLength where mask[r * bytesPerRow + j / 8] & (1 << UInt8(j % 8)) != 0 {
                    dense[r * rowLength + j] = values[next]
                    next += 1
                }
            }
        case .csr:
            let segments = SparseFormat.csrSegments(rowLength: rowLength)
            var next = 0
            for r in 0..<rows {
                for s in 0..<segments {
                    for _ in 0..<Int(counts[r * segments + s]) {
                        dense[r * rowLength + s * SparseFormat.csrSegment + Int(indices[next])] = values[next]
                        next += 1
                    }
                }
            }
        case let .nm(n, m):
            let bits = SparseFormat.positionBits(m: m)
            let groups = (rowLength + m - 1) / m
            let rowBytes = (groups * n * bits + 7) / 8
            var next = 0
            for r in 0..<rows {
                var bit = 0
                for g in 0..<groups {
                    for _ in 0..<n {
                        let field = (Int(positions[r * rowBytes + bit / 8]) >> (bit % 8)) & ((1 << bits) - 1)
                        bit += bits
                        if values[next] != 0 { dense[r * rowLength + g * m + field] = values[next] }
                        next += 1
                    }
                }
            }
        }
        return dense
    }
}
