import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The integer sigmoid and tanh of the recurrent kernels: `tp_recurrent_s8.h` against
/// `Q15ActivationTable` on every int16 input, and both against the real functions.
@Suite("Q0.15 sigmoid and tanh")
struct Q15ActivationTableTests {
    /// `tp_sigmoid_q15(x)`, `tp_tanh_q15(x)` and `tp_hard_sigmoid_q15(x, 6)` and `(x, 5)` for every
    /// int16 `x`, from the compiled header.
    static func fromC() throws -> (sigmoid: [Int32], tanh: [Int32], hard3: [Int32], hard2: [Int32]) {
        try withScratchFolder { folder in
            let program = """
                #include <stdio.h>
                #include "topiary/tp_recurrent_s8.h"
                int main(void)
                {
                    int32_t x;
                    for (x = -32768; x <= 32767; ++x) {
                        printf("%ld %ld %ld %ld\\n", (long)tp_sigmoid_q15(x), (long)tp_tanh_q15(x),
                               (long)tp_hard_sigmoid_q15(x, 6), (long)tp_hard_sigmoid_q15(x, 5));
                    }
                    return 0;
                }
                """
            try program.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(
                CCompiler.strictFlags + ["-O2", "-I", repositoryRoot.appendingPathComponent("include").path, "main.c", "-o", "main"],
                in: folder)
            let result = try ProcessRunner.run(folder + "/main", [], in: folder)
            var sigmoid: [Int32] = [], tanh: [Int32] = [], hard3: [Int32] = [], hard2: [Int32] = []
            for line in result.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ").compactMap { Int32($0) }
                sigmoid.append(fields[0])
                tanh.append(fields[1])
                hard3.append(fields[2])
                hard2.append(fields[3])
            }
            return (sigmoid, tanh, hard3, hard2)
        }
    }

    @Test("the C and the Swift sigmoid, tanh and both hard sigmoids agree on every int16 input")
    func cEqualsSwift() throws {
        let c = try Self.fromC()
        let inputs = Array(Int32(-32768)...Int32(32767))
        #expect(c.sigmoid == inputs.map(Q15ActivationTable.sigmoid))
        #expect(c.tanh == inputs.map(Q15ActivationTable.tanh))
        #expect(c.hard3 == inputs.map { Q15ActivationTable.hardSigmoid($0, divisor: 6) })
        #expect(c.hard2 == inputs.map { Q15ActivationTable.hardSigmoid($0, divisor: 5) })
    }

    @Test("the hard sigmoids are within 2^-15 of Keras 3's relu6(x + 3) / 6 and Keras 2's clip(0.2 x + 0.5) over [-8, 8)")
    func hardSigmoidAccuracy() {
        var worst = 0.0
        for x in Int32(-32768)...Int32(32767) {
            let real = Double(x) / 4096
            let keras3 = min(max(real + 3, 0), 6) / 6, keras2 = min(max(0.2 * real + 0.5, 0), 1)
            worst = max(
                worst, abs(Double(Q15ActivationTable.hardSigmoid(x, divisor: 6)) / 32768 - keras3),
                abs(Double(Q15ActivationTable.hardSigmoid(x, divisor: 5)) / 32768 - keras2))
        }
        #expect(worst <= 1.0 / 32768, "worst error \(worst)")
    }

    /// The worst is tanh near ±8, where `2σ(±16) − 1` stands for `2σ(±8) − 1` (0.99933, not 1).
    @Test("sigmoid and tanh are within 2^-10 of the real functions over [-8, 8) and never decrease")
    func accuracy() {
        var worst = 0.0
        var previous: (Int32, Int32) = (Int32.min, Int32.min)
        for x in Int32(-32768)...Int32(32767) {
            let real = Double(x) / 4096
            let sigmoid = Q15ActivationTable.sigmoid(x), tanh = Q15ActivationTable.tanh(x)
            worst = max(worst, abs(Double(sigmoid) / 32768 - 1 / (1 + exp(-real))), abs(Double(tanh) / 32768 - Foundation.tanh(real)))
            #expect(sigmoid >= previous.0 && tanh >= previous.1, "at \(x)")
            previous = (sigmoid, tanh)
        }
        #expect(worst <= 1.0 / 1024, "worst error \(worst)")
    }
}
