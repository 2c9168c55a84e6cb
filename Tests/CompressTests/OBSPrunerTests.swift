import Testing
@testable import Topiary
import TopiaryTestSupport

/// The OBS solvers on small layers whose answers can be checked: exact least squares for a
/// given mask, lower layer-output error than magnitude pruning at equal sparsity, exact zero
/// counts.
@Suite("OBS pruners")
struct OBSPrunerTests {
    /// A layer problem: `rows × columns` weights and `samples` correlated input rows.
    struct Problem {
        var w: [[Double]]
        var x: [[Double]]
        var columns: Int { w[0].count }

        init(rows: Int, columns: Int, samples: Int, seed: UInt64) {
            var generator = SeededGenerator(seed: seed)
            w = (0..<rows).map { _ in (0..<columns).map { _ in Double.random(in: -1...1, using: &generator) } }
            // Inputs with a shared component, so that neighbouring columns are correlated and
            // the update has something to compensate with.
            x = (0..<samples).map { _ in
                let common = Double.random(in: -1...1, using: &generator)
                return (0..<columns).map { j in common * Double(j % 3) + Double.random(in: -1...1, using: &generator) }
            }
        }

        var hessian: [Double] {
            var h = Hessian(size: columns)
            for row in x { h.add(row) }
            return h.damped().matrix
        }

        /// `Σ ‖(W − V) x‖²` over the inputs.
        func error(_ v: [[Double]]) -> Double {
            x.reduce(0.0) { total, row in
                total
                    + zip(w, v).reduce(0.0) { sum, pair in
                        let d = zip(zip(pair.0, pair.1), row).reduce(0.0) { $0 + ($1.0.0 - $1.0.1) * $1.1 }
                        return sum + d * d
                    }
            }
        }

        func magnitude(_ count: Int) -> [[Double]] {
            let flat = w.flatMap { $0 }.map(Float.init)
            let pruned = MagnitudePruning.pruneSmallest(
                flat, rows: KernelRows(channels: 1, rowLength: flat.count), fraction: Double(count) / Double(flat.count)
            ).map(Double.init)
            return w.indices.map { r in Array(pruned[(r * columns)..<((r + 1) * columns)]) }
        }

        func sparseGPT(_ count: Int, blockSize: Int = 4) throws -> [[Double]] {
            var flat = w.flatMap { $0 }
            let u = try #require(Cholesky.upperFactorOfInverse(hessian, n: columns))
            SparseGPTPruner.prune(&flat, rows: w.count, columns: columns, upper: u, count: count, blockSize: blockSize)
            return w.indices.map { r in Array(flat[(r * columns)..<((r + 1) * columns)]) }
        }

        func exact(_ count: Int) throws -> [[Double]] {
            ExactOBCPruner.prune(w, columns: columns, inverses: [try #require(Cholesky.inverse(hessian, n: columns))], count: count)
        }
    }

    static func zeros(_ v: [[Double]]) -> Int { v.reduce(0) { $0 + $1.filter { $0 == 0 }.count } }

    @Test("OBS beats magnitude pruning on the layer's outputs, with exactly the zeros asked for", arguments: [0.5, 0.75, 0.9])
    func beatsMagnitude(_ sparsity: Double) throws {
        let problem = Problem(rows: 6, columns: 16, samples: 200, seed: 7)
        let count = Int((sparsity * 96).rounded())
        let magnitude = problem.magnitude(count), sparse = try problem.sparseGPT(count), exact = try problem.exact(count)
        for v in [magnitude, sparse, exact] { #expect(Self.zeros(v) == count) }
        let e = (magnitude: problem.error(magnitude), sparse: problem.error(sparse), exact: problem.error(exact))
        #expect(e.sparse < 0.8 * e.magnitude, "SparseGPT \(e.sparse) vs magnitude \(e.magnitude)")
        #expect(e.exact < 0.8 * e.magnitude, "exact OBC \(e.exact) vs magnitude \(e.magnitude)")
        // Exact OBC re-solves every remaining weight; SparseGPT only updates later columns.
        #expect(e.exact <= e.sparse * 1.0001, "exact \(e.exact) vs SparseGPT \(e.sparse)")
    }

    @Test("pruning one column is the exact least-squares update of the rest")
    func singleColumnExactness() throws {
        let problem = Problem(rows: 1, columns: 5, samples: 50, seed: 3)
        let h = problem.hessian, n = problem.columns
        // One zero, on column 0, made the cheapest to remove.
        var w = problem.w[0]
        w[0] = 1e-3
        var flat = w
        SparseGPTPruner.prune(&flat, rows: 1, columns: n, upper: try #require(Cholesky.upperFactorOfInverse(h, n: n)), count: 1)
        #expect(flat[0] == 0)
        // Closed form: keep K = 1..<n, minimise (v − w)ᵀ H (v − w) with v₀ = 0:
        // v_K = w_K + H_KK⁻¹ H_K0 w₀.
        let k = Array(1..<n)
        let sub = k.flatMap { i in k.map { h[i * n + $0] } }
        let shift = try #require(SymmetricSolver.solve(sub, k.map { h[$0 * n] * w[0] }, n: k.count))
        for (index, i) in k.enumerated() { #expect(abs(flat[i] - (w[i] + shift[index])) < 1e-9) }
        // Exact OBC agrees.
        let exact = ExactOBCPruner.prune([w], columns: n, inverses: [try #require(Cholesky.inverse(h, n: n))], count: 1)[0]
        for i in 0..<n { #expect(abs(exact[i] - flat[i]) < 1e-9) }
    }

    @Test("exact OBC gives the least-squares optimum for the mask it chooses")
    func exactIsOptimalForItsMask() throws {
        let problem = Problem(rows: 3, columns: 8, samples: 100, seed: 11)
        let pruned = try problem.exact(12)
        let h = problem.hessian, n = problem.columns
        for (w, v) in zip(problem.w, pruned) {
            let kept = (0..<n).filter { v[$0] != 0 }
            guard !kept.isEmpty else { continue }
            let sub = kept.flatMap { i in kept.map { h[i * n + $0] } }
            // Minimising (v − w)ᵀ H (v − w) with v zero off the mask: H_KK v_K = (H w)_K.
            let rhs = kept.map { i in (0..<n).reduce(0.0) { $0 + h[i * n + $1] * w[$1] } }
            let solution = try #require(SymmetricSolver.solve(sub, rhs, n: kept.count))
            for (index, i) in kept.enumerated() { #expect(abs(v[i] - solution[index]) < 1e-8) }
        }
    }

    @Test("re-solving SparseGPT's kept weights for its mask keeps the mask and lowers the error", arguments: [0.5, 0.8])
    func maskRefit(_ sparsity: Double) throws {
        let problem = Problem(rows: 6, columns: 16, samples: 200, seed: 13)
        let count = Int((sparsity * 96).rounded())
        let sparse = try problem.sparseGPT(count)
        let refitted = try problem.w.indices.map { r in
            try #require(MaskRefit.refit(problem.w[r], pruned: sparse[r], prunable: 16, hessian: problem.hessian, n: 16))
        }
        for (a, b) in zip(sparse, refitted) { #expect(zip(a, b).allSatisfy { ($0 == 0) == ($1 == 0) }, "the mask is kept") }
        let before = problem.error(sparse), after = problem.error(refitted)
        #expect(after < before, "refit \(after), SparseGPT \(before)")
    }

    @Test("columns after `prunable` (a bias) are updated, never pruned")
    func fixedColumns() throws {
        let problem = Problem(rows: 4, columns: 6, samples: 80, seed: 5)
        let exact = ExactOBCPruner.prune(
            problem.w, columns: 6, prunable: 5, inverses: [try #require(Cholesky.inverse(problem.hessian, n: 6))], count: 20)
        #expect(exact.allSatisfy { $0[5] != 0 })
        #expect(Self.zeros(exact) == 20)
        var flat = problem.w.flatMap { $0 }
        SparseGPTPruner.prune(
            &flat, rows: 4, columns: 6, prunable: 5, upper: try #require(Cholesky.upperFactorOfInverse(problem.hessian, n: 6)),
            count: 10, blockSize: 2)
        #expect(stride(from: 5, to: 24, by: 6).allSatisfy { flat[$0] != 0 })
        #expect(flat.filter { $0 == 0 }.count == 10)
    }

    @Test("an N:M pattern holds after SparseGPT")
    func pattern() throws {
        let problem = Problem(rows: 5, columns: 12, samples: 60, seed: 9)
        var flat = problem.w.flatMap { $0 }
        SparseGPTPruner.prune(
            &flat, rows: 5, columns: 12, upper: try #require(Cholesky.upperFactorOfInverse(problem.hessian, n: 12)),
            count: 0, pattern: try SparsityPattern(n: 2, m: 4))
        for r in 0..<5 {
            for g in 0..<3 { #expect(flat[(r * 12 + g * 4)..<(r * 12 + g * 4 + 4)].filter { $0 != 0 }.count == 2) }
        }
    }
}
