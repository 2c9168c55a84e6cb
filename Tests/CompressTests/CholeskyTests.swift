import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Cholesky and the OBS Hessian")
struct CholeskyTests {
    /// A symmetric positive definite `n × n` matrix: `BᵀB + I` for a seeded `B`.
    static func spd(_ n: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let b = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &generator) }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                a[i * n + j] = (0..<n).reduce(0.0) { $0 + b[$1 * n + i] * b[$1 * n + j] } + (i == j ? 1 : 0)
            }
        }
        return a
    }

    static func product(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        (0..<(n * n)).map { k in (0..<n).reduce(0.0) { $0 + a[(k / n) * n + $1] * b[$1 * n + k % n] } }
    }

    @Test("the factor of a known matrix")
    func knownFactor() throws {
        // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
        let l = try #require(Cholesky.lower([4, 2, 2, 3], n: 2))
        #expect(l[0] == 2 && l[1] == 0 && l[2] == 1)
        #expect(abs(l[3] - 2.0.squareRoot()) < 1e-15)
        // Its inverse is [[3, -2], [-2, 4]] / 8.
        let inverse = try #require(Cholesky.inverse([4, 2, 2, 3], n: 2))
        for (x, y) in zip(inverse, [3.0 / 8, -2.0 / 8, -2.0 / 8, 4.0 / 8]) { #expect(abs(x - y) < 1e-15) }
    }

    @Test(
        "inverse and upper factor of random positive definite matrices, blocks of four rows and a partial one included",
        arguments: [1, 3, 8, 20, 37])
    func randomInverse(_ n: Int) throws {
        let a = Self.spd(n, seed: UInt64(n))
        let inverse = try #require(Cholesky.inverse(a, n: n))
        let identity = Self.product(a, inverse, n: n)
        for i in 0..<n {
            for j in 0..<n { #expect(abs(identity[i * n + j] - (i == j ? 1 : 0)) < 1e-9) }
            for j in 0..<n { #expect(inverse[i * n + j] == inverse[j * n + i], "the inverse is symmetric by construction") }
        }
        let u = try #require(Cholesky.upper(a, n: n))
        let back = Self.product(Cholesky.transpose(u, n: n), u, n: n)
        for k in 0..<(n * n) { #expect(abs(back[k] - a[k]) < 1e-9) }
        for i in 0..<n { for j in 0..<i { #expect(u[i * n + j] == 0, "U is upper triangular") } }
        // U of the inverse: H⁻¹ = UᵀU.
        let v = try #require(Cholesky.upperFactorOfInverse(a, n: n))
        let inverseBack = Self.product(Cholesky.transpose(v, n: n), v, n: n)
        for k in 0..<(n * n) { #expect(abs(inverseBack[k] - inverse[k]) < 1e-9) }
        for i in 0..<n { for j in 0..<i { #expect(v[i * n + j] == 0, "the factor of the inverse is upper triangular") } }
    }

    @Test("matrices that are not positive definite are refused")
    func notPositiveDefinite() {
        #expect(Cholesky.lower([1, 2, 2, 1], n: 2) == nil)
        #expect(Cholesky.lower([0, 0, 0, 1], n: 2) == nil)
        #expect(Cholesky.inverse([-1], n: 1) == nil)
        #expect(Cholesky.lower([.nan], n: 1) == nil)
    }

    @Test("the Hessian is 2/N Σ x xᵀ")
    func hessianMatrix() {
        var h = Hessian(size: 2)
        h.add([1, 2])
        h.add([3, -1])
        // Σ x xᵀ = [[1+9, 2-3], [2-3, 4+1]] = [[10, -1], [-1, 5]]; 2/N = 1.
        #expect(h.matrix == [10, -1, -1, 5])
        #expect(h.count == 2)
    }

    @Test("dead inputs get a unit diagonal, and the damping is 1% of the mean diagonal")
    func deadInputs() {
        var h = Hessian(size: 3)
        for x in [[1.0, 0, 2], [3, 0, -1], [0, 0, 1]] { h.add(x) }
        let (damped, dead) = h.damped()
        #expect(dead == [false, true, false])
        let raw = h.matrix
        // The dead diagonal becomes 1 before the mean is taken.
        let lambda = 0.01 * (raw[0] + 1 + raw[8]) / 3
        #expect(abs(damped[4] - (1 + lambda)) < 1e-12)
        #expect(abs(damped[0] - (raw[0] + lambda)) < 1e-12)
        #expect(damped[1] == 0 && damped[3] == 0, "a dead input stays uncorrelated with the others")
        #expect(Cholesky.lower(damped, n: 3) != nil)
    }
}
