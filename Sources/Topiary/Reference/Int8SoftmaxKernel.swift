/// Softmax along one axis by exponential table (`SoftmaxTable`): per slice, `k = max − q`,
/// `e = table[k]`, output `clamp(floor((512·e + Σe) / (2·Σe)) − 128)`, i.e. `round(256·e/Σe)`
/// at scale 1/256 and zero point −128.
struct Int8SoftmaxKernel: Int8Kernel {
    let table: [UInt16]
    let layout: AxisLayout

    func forward(_ inputs: [[Int8]]) throws -> [Int8] {
        let x = inputs[0]
        var out = [Int8](repeating: 0, count: x.count)
        for o in 0..<layout.outer {
            for i in 0..<layout.inner {
                let base = o * layout.length * layout.inner + i
                var largest = Int32.min
                for k in 0..<layout.length { largest = max(largest, Int32(x[base + k * layout.inner])) }
                var sum: UInt32 = 0
                for k in 0..<layout.length { sum &+= UInt32(table[Int(largest - Int32(x[base + k * layout.inner]))]) }
                for k in 0..<layout.length {
                    let e = UInt64(table[Int(largest - Int32(x[base + k * layout.inner]))])
                    let scaled = Int64((e * 512 + UInt64(sum)) / (2 * UInt64(sum))) - 128
                    out[base + k * layout.inner] = Int8(min(max(scaled, -128), 127))
                }
            }
        }
        return out
    }
}
