/// Merges and concatenation in int8: inputs rescaled to the output's quantization
/// (concatenate, maximum, minimum), TensorFlow Lite's fixed-point sum (add, subtract,
/// average), or the product of two inputs (multiply).
struct Int8MergeKernel: Int8Kernel {
    enum Combination: Sendable {
        case concatenate(outer: Int, blocks: [Int])
        case maximum, minimum
        case sum(SumRescale)
        case product(Requantization)
    }

    let combination: Combination
    let inputZeroPoints: [Int32]
    let inputRescales: [Requantization]
    let outputZeroPoint: Int32

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        func rescaled(_ q: Int8, _ i: Int) -> Int32 {
            FixedPoint.multiplyByQuantizedMultiplier(Int32(q) - inputZeroPoints[i], inputRescales[i].multiplier, inputRescales[i].shift)
                + outputZeroPoint
        }
        func clamp(_ v: Int32) -> Int8 { Int8(min(max(v, -128), 127)) }
        switch combination {
        case let .concatenate(outer, blocks):
            var out: [Int8] = []
            for o in 0..<outer {
                for (i, block) in blocks.enumerated() {
                    for k in 0..<block { out.append(clamp(rescaled(inputs[i][o * block + k], i))) }
                }
            }
            return out
        case .maximum, .minimum:
            let isMax: Bool = { if case .maximum = combination { return true } else { return false } }()
            return inputs[0].indices.map { e in
                var best = rescaled(inputs[0][e], 0)
                for i in 1..<inputs.count {
                    let v = rescaled(inputs[i][e], i)
                    best = isMax ? max(best, v) : min(best, v)
                }
                return clamp(best)
            }
        case let .sum(s):
            return inputs[0].indices.map { e in
                var acc: Int32 = 0
                for i in inputs.indices {
                    let shifted = (Int32(inputs[i][e]) - inputZeroPoints[i]) * (1 << s.leftShift)
                    acc += s.signs[i] * FixedPoint.multiplyByQuantizedMultiplier(shifted, s.inputs[i].multiplier, s.inputs[i].shift)
                }
                return clamp(FixedPoint.multiplyByQuantizedMultiplier(acc, s.output.multiplier, s.output.shift) + outputZeroPoint)
            }
        case let .product(m):
            return inputs[0].indices.map { e in
                let product = (Int32(inputs[0][e]) - inputZeroPoints[0]) * (Int32(inputs[1][e]) - inputZeroPoints[1])
                return clamp(FixedPoint.multiplyByQuantizedMultiplier(product, m.multiplier, m.shift) + outputZeroPoint)
            }
        }
    }
}
