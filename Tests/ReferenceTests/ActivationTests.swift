import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("Activations")
struct ActivationTests {
    func apply(_ a: Activation, _ xs: [Float]) throws -> [Float] {
        try GraphBuilder.run(.activation(a), input: [xs.count], xs).values
    }

    @Test func rectifiers() throws {
        #expect(try apply(.plainRelu, [-2, 0, 3]) == [0, 0, 3])
        #expect(try apply(.relu(negativeSlope: 0, maxValue: 6, threshold: 0), [-1, 5, 7]) == [0, 5, 6])
        #expect(try apply(.relu(negativeSlope: 0.1, maxValue: nil, threshold: 0), [-2, 3]) == [-0.2, 3])
        // Below the threshold: slope · (x − threshold); at and above it: x, capped by max.
        #expect(try apply(.relu(negativeSlope: 0.5, maxValue: 4, threshold: 1), [0, 1, 3, 5]) == [-0.5, 1, 3, 4])
    }

    @Test func hardSigmoidVariants() throws {
        // Keras 3: relu6(x + 3) / 6; Keras 2: clip(0.2x + 0.5, 0, 1). They differ at x = 2.
        #expect(close(try apply(.hardSigmoid, [-4, 0, 2, 4]), [0, 0.5, 5.0 / 6.0, 1]))
        #expect(close(try apply(.hardSigmoidKeras2, [-4, 0, 2, 4]), [0, 0.5, 0.9, 1]))
    }

    @Test func smoothActivations() throws {
        let xs: [Float] = [-1.5, 0, 0.7]
        #expect(close(try apply(.sigmoid, xs), xs.map { 1 / (1 + exp(-$0)) }))
        #expect(close(try apply(.tanh, xs), xs.map { tanh($0) }))
        #expect(close(try apply(.elu(alpha: 0.5), xs), [0.5 * (exp(-1.5) - 1), 0, 0.7]))
        #expect(
            close(
                try apply(.selu, [-1, 2]),
                [Float(1.0507009873554805 * 1.6732632423543772 * (exp(-1.0) - 1)), Float(1.0507009873554805 * 2)]))
        #expect(close(try apply(.softsign, [-3, 1]), [-0.75, 0.5]))
        #expect(close(try apply(.swish, xs), xs.map { $0 / (1 + exp(-$0)) }))
        #expect(close(try apply(.exponential, [0, 1]), [1, Float(M_E)]))
        #expect(close(try apply(.hardSwish, [-4, 1, 4]), [0, 4.0 / 6.0, 4]))
        let softplus = xs.map { log(1 + exp($0)) }
        #expect(close(try apply(.mish, xs), zip(xs, softplus).map { $0 * tanh($1) }))
    }

    @Test func softplusIsStableAtBothEnds() throws {
        let ys = try apply(.softplus, [100, -100, 0])
        #expect(ys[0] == 100)
        #expect(ys[1] > 0 && ys[1] < 1e-40)
        #expect(close([ys[2]], [Float(log(2.0))]))
    }

    @Test func geluExactAndApproximate() throws {
        let x: Float = 1.3
        let exact = try apply(.gelu(approximate: false), [x])[0]
        let approximate = try apply(.gelu(approximate: true), [x])[0]
        #expect(close([exact], [Float(0.5 * 1.3 * (1 + erf(1.3 / 2.0.squareRoot())))]))
        let inner = (2 / Double.pi).squareRoot() * (1.3 + 0.044715 * pow(1.3, 3))
        #expect(close([approximate], [Float(0.5 * 1.3 * (1 + tanh(inner)))]))
        #expect(exact != approximate)
    }

    @Test func softmaxSubtractsTheMaximum() throws {
        // Without subtracting the maximum, exp(1000) overflows to infinity and gives NaN.
        let ys = try apply(.softmax(axis: 0), [1000, 1000, 999])
        let e = Float(exp(-1.0))
        #expect(close(ys, [1 / (2 + e), 1 / (2 + e), e / (2 + e)]))
    }

    @Test func softmaxAlongAChosenAxis() throws {
        // [2, 2]: along axis 0 each column sums to one; along axis 1 each row does.
        let x: [Float] = [0, 1, 2, 3]
        let columns = try GraphBuilder.run(.activation(.softmax(axis: 0)), input: [2, 2], x).values
        let rows = try GraphBuilder.run(.activation(.softmax(axis: 1)), input: [2, 2], x).values
        let p = 1 / (1 + Float(exp(-2.0))), q = 1 / (1 + Float(exp(-1.0)))
        #expect(close(columns, [1 - p, 1 - p, p, p]))
        #expect(close(rows, [1 - q, q, 1 - q, q]))
    }

    @Test func logSoftmax() throws {
        let ys = try apply(.logSoftmax(axis: 0), [1, 2])
        let logSum = Float(log(exp(1.0) + exp(2.0)))
        #expect(close(ys, [1 - logSum, 2 - logSum]))
    }
}
