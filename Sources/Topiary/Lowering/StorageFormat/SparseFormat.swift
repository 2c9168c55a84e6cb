/// How the int8 weights of one layer are stored in the generated C (see `tp_dense_s8.h`).
public enum SparseFormat: Hashable, Sendable, CustomStringConvertible {
    /// Every weight, one byte each.
    case dense
    /// One bit per weight, then the nonzero values: best near 50% sparsity.
    case bitmask
    /// Per row an entry count (one byte, two when a row has more than 255), then a uint8 gap
    /// and a value per entry (fillers bridge gaps over 255): best from about 85%.
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

    /// Bits of one N:M position field: the smallest of 2, 4, 8 that holds `m − 1`.
    static func positionBits(m: Int) -> Int {
        m <= 4 ? 2 : (m <= 16 ? 4 : 8)
    }
}
