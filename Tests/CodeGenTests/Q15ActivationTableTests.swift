import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The integer sigmoid and tanh of the recurrent kernels: `tp_recurrent_s8.h` against
/// `Q15ActivationTable` on every int16 input, and both against the real functions.
@Suite("Q0.15 sigmoid and tanh")
struct Q15ActivationTableTests {
    /// `tp_sigmoid_q15(x)` and `tp_tanh_q15(x)` for every int16 `x`, from the compiled header.
    static func fromC() throws -> (sigmoid: [Int32], tanh: [Int32]) {
        try withScratchFolder { folder in
            let program = """
                #include <stdio.h>
                #include "topiary/tp_recurrent_s8.h"
                int main(void)
                {
                    int32_t x;
                    for (x = -32768; x <= 32767; ++x) {
                        printf("%ld %ld\\n", (long)tp_sigmoid_q15(x), (long)tp_tanh_q15(x));
                    }
                    return 0;
                }
                """
            try program.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(
                CCompiler.strictFlags + ["-O2", "-I", repositoryRoot.appendingPathComponent("include").path, "main.c", "-o", "main"],
                in: folder)
            let result = try ProcessRunner.run(folder + "/main", [], in: folder)
            var sigmoid: [Int32] = [], tanh: [Int32] = []
            for line in result.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ").compactMap { Int32($0) }
                sigmoid.append(fields[0])
                tanh.append(fields[1])
            }
            return (sigmoid, tanh)
        }
    }

    @Test("the C and the Swift sigmoid and tanh agree on every int16 input")
    func cEqualsSwift() throws {
        let c = try Self.fromC()
        let inputs = Array(Int32(-32768)...Int32(32767))
        #expect(c.sigmoid == inputs.map(Q15ActivationTable.sigmoid))
        #expect(c.tanh == inputs.map(Q15ActivationTable.tanh))
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
