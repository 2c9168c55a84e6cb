/// The order fine-tuning visits its samples in each epoch: a Fisher–Yates shuffle driven by
/// SplitMix64 from the seed and the epoch, so the same options give the same order on every
/// machine.
struct SampleOrder {
    private var state: UInt64

    init(seed: UInt64, epoch: Int) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &+ 1
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `0..<count` shuffled.
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
