import Foundation

/// N:M structured sparsity: in every group of `m` consecutive input weights of an output
/// channel, at most `n` are nonzero (2:4, 1:4, …). Kernels and storage can then index a
/// nonzero within its group with a few bits.
public struct SparsityPattern: Hashable, Sendable, CustomStringConvertible {
    public var n: Int
    public var m: Int

    public init(n: Int, m: Int) throws {
        guard n >= 1, m >= 2, n < m, m <= 64 else {
            throw CompressionError(.pruning, "an N:M pattern needs 1 <= N < M <= 64, got \(n):\(m)")
        }
        self.n = n
        self.m = m
    }

    /// Parses `2:4`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let n = parts[0], let m = parts[1] else {
            throw CompressionError(.pruning, "cannot read pattern '\(text)'; write N:M, e.g. 2:4")
        }
        try self.init(n: n, m: m)
    }

    public var description: String { "\(n):\(m)" }

    /// True when every group of `m` consecutive values of every row has at most `n` nonzeros.
    func holds(in values: [Float], rows: KernelRows) -> Bool {
        for c in 0..<rows.channels {
            var start = 0
            while start < rows.rowLength {
                let end = min(start + m, rows.rowLength)
                let nonzeros = (start..<end).reduce(0) { $0 + (values[rows.index(channel: c, position: $1)] != 0 ? 1 : 0) }
                if nonzeros > n { return false }
                start = end
            }
        }
        return true
    }
}
