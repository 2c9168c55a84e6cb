/// Packs int8 weight rows into each `SparseFormat` and picks the one with the fewest bytes.
///
/// Byte counts cover the weights and their indices; the per-channel metadata (bias,
/// multiplier, shift) is the same in every format and is counted by `ChannelMetadata`.
public enum RowPacker {
    /// `weights` is `[rows, rowLength]` row-major.
    public static func pack(_ weights: [Int8], rows: Int, rowLength: Int, as format: SparseFormat) -> PackedRows {
        precondition(weights.count == rows * rowLength, "weights do not fill \(rows) rows of \(rowLength)")
        let nonzeros = weights.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        var packed = PackedRows(format: format, rows: rows, rowLength: rowLength, nonzeros: nonzeros)
        switch format {
        case .dense:
            packed.values = weights
        case .bitmask:
            let bytesPerRow = (rowLength + 7) / 8
            packed.mask = [UInt8](repeating: 0, count: rows * bytesPerRow)
            for r in 0..<rows {
                for j in 0..<rowLength where weights[r * rowLength + j] != 0 {
                    packed.mask[r * bytesPerRow + j / 8] |= 1 << UInt8(j % 8)
                    packed.values.append(weights[r * rowLength + j])
                }
            }
        case .csr:
            let segment = SparseFormat.csrSegment
            for r in 0..<rows {
                for start in stride(from: 0, to: rowLength, by: segment) {
                    var count: UInt8 = 0
                    for j in start..<min(start + segment, rowLength) where weights[r * rowLength + j] != 0 {
                        packed.indices.append(UInt8(j - start))
                        packed.values.append(weights[r * rowLength + j])
                        count += 1
                    }
                    packed.counts.append(count)
                }
            }
        case let .nm(n, m):
            let bits = SparseFormat.positionBits(m: m)
            let groups = (rowLength + m - 1) / m
            let rowBytes = (groups * n * bits + 7) / 8
            packed.positions = [UInt8](repeating: 0, count: rows * rowBytes)
            for r in 0..<rows {
                var bit = 0
                for g in 0..<groups {
                    let start = g * m, end = min(start + m, rowLength)
                    let nonzero = (start..<end).filter { weights[r * rowLength + $0] != 0 }
                    precondition(nonzero.count <= n, "row \(r) group \(g) has \(nonzero.count) nonzeros, more than \(n)")
                    // A group with fewer than n nonzeros is padded with zero-valued entries at
                    // the group's first position, which every group has.
                    let stored =
                        [(Int, Int8)](repeating: (start, 0), count: n - nonzero.count)
                        + nonzero.map { ($0, weights[r * rowLength + $0]) }
                    for (j, value) in stored {
                        packed.values.append(value)
                        packed.positions[r * rowBytes + bit / 8] |= UInt8((j - start) << (bit % 8))
                        bit += bits
                    }
                }
            }
        }
        return packed
    }

    /// Whether `format` can hold these rows: N:M needs the pattern.
    public static func fits(_ weights: [Int8], rows: Int, rowLength: Int, _ format: SparseFormat) -> Bool {
        switch format {
        case .dense, .bitmask, .csr:
            return true
        case let .nm(n, m):
            guard n >= 1, n < m, m <= 256 else { return false }
            for r in 0..<rows {
                var start = 0
                while start < rowLength {
                    let end = min(start + m, rowLength)
                    if (start..<end).filter({ weights[r * rowLength + $0] != 0 }).count > n { return false }
                    start = end
                }
            }
            return true
        }
    }

    /// The N:M patterns (m of 4, 8 or 16, the smallest n that holds) these rows have.
    static func patterns(_ weights: [Int8], rows: Int, rowLength: Int) -> [SparseFormat] {
        var result: [SparseFormat] = []
        for m in [4, 8, 16] where m <= rowLength {
            var n = 0
            for r in 0..<rows {
                var start = 0
                while start < rowLength {
                    let end = min(start + m, rowLength)
                    n = max(n, (start..<end).filter { weights[r * rowLength + $0] != 0 }.count)
                    start = end
                }
            }
            if n >= 1, n < m { result.append(.nm(n: n, m: m)) }
        }
        return result
    }

    /// The packing `choice` asks for: for `.auto` the candidate `goal` prefers by
    /// `FormatCost` (for `.size` the fewest bytes, ties to the simpler format: dense, bitmask,
    /// CSR, then N:M) for a layer whose `kernel` runs over `positions` output positions.
    public static func choose(
        _ weights: [Int8], rows: Int, rowLength: Int, choice: FormatChoice, goal: OptimizationGoal, kernel: FormatCost.Kernel,
        positions: Int
    ) -> PackedRows {
        let candidates: [SparseFormat]
        switch choice {
        case .auto: candidates = [.dense, .bitmask, .csr] + patterns(weights, rows: rows, rowLength: rowLength)
        case .dense: candidates = [.dense]
        case .bitmask: candidates = [.bitmask]
        case .csr: candidates = [.csr]
        case .nm: candidates = patterns(weights, rows: rows, rowLength: rowLength)
        }
        let packings = candidates.filter { fits(weights, rows: rows, rowLength: rowLength, $0) }
            .map { pack(weights, rows: rows, rowLength: rowLength, as: $0) }
        // A forced N:M where the rows have no pattern falls back to dense.
        guard choice == .auto else {
            return packings.min { $0.bytes < $1.bytes } ?? pack(weights, rows: rows, rowLength: rowLength, as: .dense)
        }
        return FormatCost.best(packings, kernel: kernel, positions: positions, goal: goal)
    }
}
