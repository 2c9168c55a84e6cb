import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// The float → int8 step of the generated float entry point (`tp_quantize_one_f32`, which
/// doubles `t` and truncates) against the Swift rule it must repeat exactly
/// (`QuantizationParameters.quantize`: `t = x * (1 / scale)`, clamped to ±1000, rounded half
/// away from zero), on exact ties (scales that are powers of two), every float within eight
/// steps of each tie, both clamps, zeros, infinities, NaN and seeded random bit patterns.
@Suite("Input quantization")
struct InputQuantizationTests {
    static let driver = """
        #include <stdio.h>
        #include "topiary/tp_quantize_f32.h"

        int main(void)
        {
            unsigned long x, scale;
            long zero_point;
            while (scanf("%lx %lx %ld", &x, &scale, &zero_point) == 3) {
                tp_float_bits a, b;
                a.bits = (uint32_t)x;
                b.bits = (uint32_t)scale;
                printf("%d\\n", (int)tp_quantize_one_f32(a.value, 1.0f / b.value, (int32_t)zero_point));
            }
            return 0;
        }
        """

    static func cases() -> [(x: Float, q: QuantizationParameters)] {
        let scales: [Float] = [1.0 / 255, 0.1, 0.003_921_568_9, 3.7, 1e-6, 1e-30, 1e30, 0.25, 1.0 / 128]
        let zeroPoints: [Int32] = [-128, -1, 0, 5, 127]
        var generator = SeededGenerator(seed: 13)
        var cases: [(Float, QuantizationParameters)] = []
        for scale in scales {
            for zeroPoint in zeroPoints {
                let q = QuantizationParameters(scale: scale, zeroPoint: zeroPoint)
                var values: [Float] = [0, -0.0, .infinity, -.infinity, .nan, -.nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
                for k in -300...300 {
                    // Ties (k + 0.5 steps: exact when the scale is a power of two), every float
                    // within eight steps of them, and whole steps.
                    let tie = (Float(k) + 0.5) * scale
                    var above = tie, below = tie
                    values += [tie, Float(k) * scale]
                    for _ in 0..<8 {
                        above = above.nextUp
                        below = below.nextDown
                        values += [above, below]
                    }
                }
                values += [999.5, 1000, 1000.5, 1e6].flatMap { [$0 * scale, -$0 * scale] }
                for _ in 0..<400 { values.append(Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))) }
                cases += values.map { ($0, q) }
            }
        }
        return cases
    }

    @Test("tp_quantize_one_f32 gives the Swift rule's int8 on ties, clamps, zeros, infinities, NaN and random floats")
    func cMatchesTheSwiftRule() throws {
        let program = try CProgram(sources: ["driver.c": Self.driver], flags: CProgram.strictFlags + ["-O2"])
        defer { program.remove() }
        let cases = Self.cases()
        let input = cases.map { String(format: "%x %x %d", $0.x.bitPattern, $0.q.scale.bitPattern, $0.q.zeroPoint) }
        let lines = try program.run(input: input.joined(separator: "\n") + "\n").split(separator: "\n")
        try #require(lines.count == cases.count, "the C driver answered \(lines.count) of \(cases.count) cases")
        var mismatches: [String] = []
        for (line, c) in zip(lines, cases) where Int8(line) != c.q.quantize(c.x) {
            mismatches.append("x \(c.x) scale \(c.q.scale) zero point \(c.q.zeroPoint): Swift \(c.q.quantize(c.x)), C \(line)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }
}
