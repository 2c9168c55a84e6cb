/// How the int8 weights of one layer are stored in the generated C (see `tp_sparse_s8.h`).
public enum SparseFormat: Hashable, Sendable, CustomStringConvertible {
    /// Every weight, one byte each.
    case dense
    /// One bit per weight, then the nonzero values: best near 50% sparsity.
    case bitmask
    /// Each row cut into segments of `csrSegment` inputs, each stored as an entry count (one
    /// byte), then per entry a uint8 index within the segment and a value: best from about 60%.
    case csr
    /// At most `n` nonzeros in every `m` consecutive weights of a row, stored as `n` values
    /// and `n` position fields per group.
    case nm(n: Int, m: Int)

    public var description: String {
        switch self {
        case .dense: return "dense"
        case .bitmask: return "bitmask"
        case .csr: return "csr"
        case let .nm(n, m): return "\(n):\(m)"
        }
    }

    /// Inputs of one CSR segment: a uint8 indexes them and a uint8 counts their entries.
    static let csrSegment = 255

    /// CSR segments of a row of `rowLength` inputs.
    static func csrSegments(rowLength: Int) -> Int {
        (rowLength + csrSegment - 1) / csrSegment
    }

    /// Bits of one N:M position field: the smallest of 2, 4, 8 that holds `m − 1`.
    static func positionBits(m: Int) -> Int {
        m <= 4 ? 2 : (m <= 16 ? 4 : 8)
    }
}
