import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The C kernels tested directly against the reference's own functions, on values chosen to
/// catch the corner cases (signed zeros, infinities, ties, overflow of exp).
@Suite("Kernel headers against the reference")
struct KernelHeaderTests {
    static let points: [Float] = [-.infinity, -100, -20, -3, -1, -0.5, -1e-3, -0.0, 0, 1e-3, 0.5, 1, 3, 6, 20, 100, .infinity]

    /// Compiles `body` (statements printing one unsigned bit pattern per line) against the
    /// kernel headers, runs it and returns the printed patterns.
    func run(_ body: String, headers: [String]) throws -> [UInt32] {
        try withScratchFolder { folder in
            let include = repositoryRoot.appendingPathComponent("include/topiary").path
            let program = """
                #include <stdio.h>
                #include <string.h>
                \(headers.map { "#include \"\($0)\"" }.joined(separator: "\n"))
                static void show(float x)
                {
                    unsigned int bits;
                    memcpy(&bits, &x, sizeof bits);
                    printf("%u\\n", bits);
                }
                int main(void)
                {
                \(body)
                    return 0;
                }
                """
            try program.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(
                ["-std=c99", "-O2", "-ffp-contract=off", "-I", include, "main.c", "-o", "main", "-lm"], in: folder)
            let result = try ProcessRunner.run(folder + "/main", [], in: folder)
            return result.stdout.split(separator: "\n").compactMap { UInt32($0) }
        }
    }

    func literal(_ x: Float) throws -> String { try CFloatLiteral.literal(x) }

    @Test("tp_maxf and tp_minf break ties and treat NaN as Swift's max and min do")
    func maxMin() throws {
        let pairs: [(Float, Float)] = [(-0.0, 0), (0, -0.0), (.nan, 1), (1, .nan), (2, 3), (3, 2), (-.infinity, -1)]
        var body = ""
        for (x, y) in pairs {
            let a = x.isNaN ? "NAN" : try literal(x), b = y.isNaN ? "NAN" : try literal(y)
            body += "    show(tp_maxf(\(a), \(b)));\n    show(tp_minf(\(a), \(b)));\n"
        }
        let bits = try run(body, headers: ["topiary.h", "math.h"])
        let expected = pairs.flatMap { [Swift.max($0.0, $0.1).bitPattern, Swift.min($0.0, $0.1).bitPattern] }
        #expect(bits.count == expected.count)
        for (got, want) in zip(bits, expected) {
            let g = Float(bitPattern: got), w = Float(bitPattern: want)
            #expect(got == want || (g.isNaN && w.isNaN))
        }
    }

    static let activations: [Activation] = [
        .linear, .plainRelu, .relu(negativeSlope: 0, maxValue: 6, threshold: 0), .relu(negativeSlope: 0.2, maxValue: 2.5, threshold: 0.5),
        .sigmoid, .hardSigmoid, .hardSigmoidKeras2, .tanh, .elu(alpha: 0.5), .selu, .softplus, .softsign, .swish,
        .gelu(approximate: false), .gelu(approximate: true), .exponential, .hardSwish, .mish,
    ]

    @Test("tp_activation_f32 computes every activation bit for bit as the reference", arguments: activations)
    func activation(_ activation: Activation) throws {
        let initializer = try ActivationLiteral.render(activation, shape: [Self.points.count], layer: "test")
        let values = try Self.points.map(literal).joined(separator: ", ")
        let body = """
                static float data[\(Self.points.count)] = { \(values) };
                static const tp_activation act = \(initializer);
                int i;
                tp_activation_f32(&act, data, \(Self.points.count));
                for (i = 0; i < \(Self.points.count); ++i) show(data[i]);
                for (i = 0; i < \(Self.points.count); ++i) show(tp_activation_scalar_f32(&act, data[i]));
            """
        let bits = try run(body, headers: ["math.h", "tp_activation_f32.h"])
        var expected = Self.points
        activation.apply(to: &expected, shape: [expected.count])
        let scalar = expected.map { activation.scalar($0) }
        let want = (expected + scalar).map(\.bitPattern)
        #expect(bits.count == want.count)
        for (index, (got, wanted)) in zip(bits, want).enumerated() {
            let g = Float(bitPattern: got), w = Float(bitPattern: wanted)
            #expect(
                got == wanted || (g.isNaN && w.isNaN), "\(activation) at \(Self.points[index % Self.points.count]): C \(g), reference \(w)")
        }
    }

    @Test(
        "softmax and log-softmax along a middle axis match the reference", arguments: [Activation.softmax(axis: 1), .logSoftmax(axis: 1)])
    func softmax(_ activation: Activation) throws {
        let shape = [2, 3, 4]
        var generator = SeededGenerator(seed: 11)
        let input = (0..<24).map { _ in Float.random(in: -30...30, using: &generator) }
        let initializer = try ActivationLiteral.render(activation, shape: shape, layer: "test")
        let body = """
                static float data[24] = { \(try input.map(literal).joined(separator: ", ")) };
                static const tp_activation act = \(initializer);
                int i;
                tp_activation_f32(&act, data, 24);
                for (i = 0; i < 24; ++i) show(data[i]);
            """
        var expected = input
        activation.apply(to: &expected, shape: shape)
        #expect(try run(body, headers: ["math.h", "tp_activation_f32.h"]) == expected.map(\.bitPattern))
    }
}
