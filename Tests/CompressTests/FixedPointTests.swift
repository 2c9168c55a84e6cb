import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The Swift rounding helpers against known values, and against `tp_fixedpoint.h` compiled
/// by the host C compiler on the same cases.
@Suite("Fixed-point rounding")
struct FixedPointTests {
    @Test("high multiply: ties, saturation and signs")
    func highMultiply() {
        // 2^30 · 1 · 2 / 2^32 = 0.5 → 1 ; negative ties go toward +∞ (gemmlowp's nudge).
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1) == 1)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(-(1 << 30), 1) == 0)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(-(1 << 30), 5) == -2)  // −2.5 → −2
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 5) == 3)  // 2.5 → 3
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(Int32.min, Int32.min) == Int32.max)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(Int32.min, Int32.max) == Int32.min + 1)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(Int32.max, Int32.max) == Int32.max - 1)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(0, Int32.min) == 0)
    }

    @Test("rounding divide by a power of two: ties away from zero, both ends of the exponent")
    func roundingDivide() {
        #expect(FixedPoint.roundingDivideByPowerOfTwo(3, 1) == 2)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-3, 1) == -2)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(5, 2) == 1)  // 1.25
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-5, 2) == -1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-6, 2) == -2)  // −1.5
        #expect(FixedPoint.roundingDivideByPowerOfTwo(Int32.max, 0) == Int32.max)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(Int32.min, 31) == -1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(Int32.max, 31) == 1)
        #expect(FixedPoint.roundingDivideByPowerOfTwo(1 << 30, 31) == 1)  // 0.5 → 1
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-(1 << 30), 31) == -1)  // −0.5 → −1
        #expect(FixedPoint.roundingDivideByPowerOfTwo(-(1 << 30) + 1, 31) == 0)
    }

    @Test("QuantizeMultiplier: normalisation, rounding up to 2^31, tiny and huge values")
    func quantizeMultiplier() {
        #expect(FixedPoint.quantizeMultiplier(0.5) == Requantization(multiplier: 1 << 30, shift: 0))
        #expect(FixedPoint.quantizeMultiplier(1) == Requantization(multiplier: 1 << 30, shift: 1))
        #expect(FixedPoint.quantizeMultiplier(0.75) == Requantization(multiplier: 3 << 29, shift: 0))
        // Just below 1: q·2^31 rounds to 2^31, which is halved with the shift raised.
        #expect(FixedPoint.quantizeMultiplier(1 - 1e-12) == Requantization(multiplier: 1 << 30, shift: 1))
        #expect(FixedPoint.quantizeMultiplier(1e-12) == Requantization(multiplier: 0, shift: 0))
        #expect(FixedPoint.quantizeMultiplier(0) == Requantization(multiplier: 0, shift: 0))
        #expect(FixedPoint.quantizeMultiplier(1e12).shift == 30)
        for real in [0.0001234, 0.01, 0.3, 0.999, 1.7, 45.2] {
            let q = FixedPoint.quantizeMultiplier(real)
            #expect(abs(q.realValue - real) <= real * 1e-9, "\(real) → \(q)")
            #expect(q.multiplier >= 1 << 30)
        }
    }

    @Test("requantization matches real arithmetic to within one step")
    func requantizeAgreesWithReals() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let real = Double.random(in: 1e-5...4, using: &generator)
            let x = Int32.random(in: -100_000...100_000, using: &generator)
            let q = FixedPoint.quantizeMultiplier(real)
            let got = FixedPoint.multiplyByQuantizedMultiplier(x, q.multiplier, q.shift)
            // Two roundings (the high multiply, then the shift) stay within one step.
            #expect(abs(Double(got) - Double(x) * real) < 1 + 1e-6 * abs(Double(x) * real))
        }
    }

    /// Edge cases plus seeded random ones, each run through Swift and through the C header.
    static func cases() -> [(op: String, a: Int32, b: Int32, c: Int32)] {
        let edges: [Int32] = [
            0, 1, -1, 2, -2, 3, -3, 5, -5, 127, -128, 255, -255, 1 << 30, -(1 << 30), (1 << 30) + 1,
            -(1 << 30) - 1, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1, 1 << 15, -(1 << 15),
        ]
        var cases: [(String, Int32, Int32, Int32)] = []
        for a in edges { for b in edges { cases.append(("srdhm", a, b, 0)) } }
        for a in edges { for e in Int32(0)...31 { cases.append(("rdbpot", a, e, 0)) } }
        let multipliers: [Int32] = [0, 1 << 30, (1 << 30) + 1, Int32.max, 1_518_500_250, 1_431_655_765, Int32.min + 1]
        for a in edges { for m in multipliers { for s in Int32(-31)...30 { cases.append(("mbqm", a, m, s)) } } }
        // The per-channel path for non-negative multipliers must agree with the general one.
        for a in edges { for m in multipliers where m >= 0 { for s in Int32(-31)...30 { cases.append(("mbqmn", a, m, s)) } } }
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<3000 {
            let a = Int32.random(in: Int32.min...Int32.max, using: &generator)
            let b = Int32.random(in: Int32.min...Int32.max, using: &generator)
            cases.append(("srdhm", a, b, 0))
            cases.append(("rdbpot", a, Int32.random(in: 0...31, using: &generator), 0))
            let small = Int32.random(in: -70_000...70_000, using: &generator)
            let m = Int32.random(in: (1 << 30)...Int32.max, using: &generator)
            cases.append(("mbqm", small, m, Int32.random(in: -31...30, using: &generator)))
            cases.append(("mbqm", a, m, Int32.random(in: -31...30, using: &generator)))
            cases.append(("mbqmn", a, m, Int32.random(in: -31...30, using: &generator)))
            cases.append(("mbqmn", small, m, Int32.random(in: -31...30, using: &generator)))
        }
        for x in Int32(-600)...600 { cases.append(("rdiv", x, Int32(1 + (abs(x) % 9)), 0)) }
        return cases
    }

    static func swiftResult(_ c: (op: String, a: Int32, b: Int32, c: Int32)) -> Int32 {
        switch c.op {
        case "srdhm": return FixedPoint.saturatingRoundingDoublingHighMul(c.a, c.b)
        case "rdbpot": return FixedPoint.roundingDivideByPowerOfTwo(c.a, c.b)
        case "mbqm", "mbqmn": return FixedPoint.multiplyByQuantizedMultiplier(c.a, c.b, c.c)
        default: return FixedPoint.roundedDivision(c.a, c.b)
        }
    }

    static let driver = """
        #include <stdio.h>
        #include <string.h>
        #include "topiary/tp_fixedpoint.h"

        int main(void)
        {
            char op[16];
            long a, b, c;
            while (scanf("%15s %ld %ld %ld", op, &a, &b, &c) == 4) {
                int32_t r;
                if (strcmp(op, "srdhm") == 0) {
                    r = tp_saturating_rounding_doubling_high_mul((int32_t)a, (int32_t)b);
                } else if (strcmp(op, "rdbpot") == 0) {
                    r = tp_rounding_divide_by_power_of_two((int32_t)a, (int32_t)b);
                } else if (strcmp(op, "mbqm") == 0) {
                    r = tp_multiply_by_quantized_multiplier((int32_t)a, (int32_t)b, (int32_t)c);
                } else if (strcmp(op, "mbqmn") == 0) {
                    r = tp_multiply_by_quantized_multiplier_nonnegative((int32_t)a, (int32_t)b, (int32_t)c);
                } else {
                    r = tp_rounded_division((int32_t)a, (int32_t)b);
                }
                printf("%ld\\n", (long)r);
            }
            return 0;
        }
        """

    /// The C driver `source` under the strict flags: at -O1 with the sanitizers (undefined
    /// behaviour such as signed overflow stops the run), or at -O2 without them.
    static func compiled(_ source: String, sanitized: Bool) throws -> CProgram {
        let flags = CProgram.strictFlags + (sanitized ? ["-O1"] + CProgram.sanitizerFlags : ["-O2"])
        return try CProgram(sources: ["driver.c": source], flags: flags)
    }

    @Test("Swift and tp_fixedpoint.h agree on every case", arguments: [false, true])
    func swiftMatchesC(sanitized: Bool) throws {
        let program = try Self.compiled(Self.driver, sanitized: sanitized)
        defer { program.remove() }
        let cases = Self.cases()
        let input = cases.map { "\($0.op) \($0.a) \($0.b) \($0.c)" }.joined(separator: "\n") + "\n"
        let lines = try program.run(input: input).split(separator: "\n")
        try #require(lines.count == cases.count, "the C driver answered \(lines.count) of \(cases.count) cases")
        var mismatches: [String] = []
        for (line, testCase) in zip(lines, cases) {
            let expected = Self.swiftResult(testCase)
            if Int32(line) != expected {
                mismatches.append("\(testCase.op)(\(testCase.a), \(testCase.b), \(testCase.c)): Swift \(expected), C \(line)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    /// Every accumulator of `edges` and of a seeded sequence, by every multiplier of
    /// `multipliers`, at every shift the short form takes and four zero points, through
    /// `tp_channel_scaled_s8` and through `tp_requantize` (full int8 range); prints the cases
    /// and the mismatches.
    static let shortStageDriver = """
        #include <stdio.h>
        #include "topiary/tp_channel_scale_s8.h"

        int main(void)
        {
            static const int32_t edges[] = {0, 1, -1, 2, -2, 3, -3, 1000, -1000, 65535, -65536, 1 << 20, -(1 << 20),
                                            (1 << 30) - 1, 1 << 30, -(1 << 30), -(1 << 30) - 1, INT32_MAX, INT32_MAX - 1,
                                            INT32_MIN, INT32_MIN + 1};
            static const int32_t multipliers[] = {0, 1, 1 << 30, (1 << 30) + 1, 1518500250, INT32_MAX - 1, INT32_MAX};
            static const int32_t zero_points[] = {-128, -5, 0, 127};
            uint32_t state = 12345u;
            long cases = 0, mismatches = 0;
            int m, z, shift, k;
            for (k = 0; k < 2000 + (int)(sizeof edges / sizeof edges[0]); ++k) {
                int32_t acc;
                if (k < (int)(sizeof edges / sizeof edges[0])) {
                    acc = edges[k];
                } else {
                    state = state * 1664525u + 1013904223u;
                    acc = (int32_t)(state ^ (state >> 7)) >> (int)(state % 24u);
                }
                for (m = 0; m < (int)(sizeof multipliers / sizeof multipliers[0]); ++m) {
                    for (shift = -31; shift <= -2; ++shift) {
                        for (z = 0; z < 4; ++z) {
                            const int32_t exponent = -shift - 1, rounding = (int32_t)1 << (-shift - 2);
                            const int32_t fast = tp_channel_scaled_s8(acc, multipliers[m], exponent, rounding, zero_points[z]);
                            const int32_t slow = tp_requantize(acc, multipliers[m], shift, zero_points[z], -128, 127);
                            ++cases;
                            if (fast != slow) {
                                if (mismatches < 5) printf("mismatch %ld %ld %d %d\\n", (long)acc, (long)multipliers[m], shift, zero_points[z]);
                                ++mismatches;
                            }
                        }
                    }
                }
            }
            printf("%ld %ld\\n", cases, mismatches);
            return 0;
        }
        """

    @Test("the short output stage of tp_channel_scale_s8.h equals tp_requantize at every shift it takes", arguments: [false, true])
    func shortOutputStageEqualsRequantize(sanitized: Bool) throws {
        let program = try Self.compiled(Self.shortStageDriver, sanitized: sanitized)
        defer { program.remove() }
        let lines = try program.run(input: "").split(separator: "\n")
        let counts = try #require(lines.last).split(separator: " ").compactMap { Int($0) }
        try #require(counts.count == 2)
        #expect(counts[0] == (2000 + 21) * 7 * 30 * 4, "cases run")
        #expect(counts[1] == 0, "\(counts[1]) mismatches: \(lines.dropLast())")
    }
}
