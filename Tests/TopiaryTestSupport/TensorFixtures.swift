import Topiary

/// `0, 1, 2, …` as floats, shaped: easy to follow through index arithmetic.
public func iota(_ shape: [Int], from start: Float = 0, step: Float = 1) -> Tensor {
    Tensor(shape: shape, values: (0..<shape.elementCount).map { start + Float($0) * step })
}

/// How many of `tensor`'s values are exactly zero (0 for no tensor).
public func zeroCount(_ tensor: Tensor?) -> Int { tensor?.values.filter { $0 == 0 }.count ?? 0 }

/// Seeded values in `range`, shaped.
public func randomTensor(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: shape, values: (0..<shape.elementCount).map { _ in Float.random(in: range, using: &generator) })
}

/// Seeded samples in `range` as an input array: `shape` is samples first, then one sample's shape.
public func randomSamples(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64) -> NDArray {
    NDArray(shape: shape, values: randomTensor(shape, in: range, seed: seed).values)
}

/// BatchNorm weights with distinct, non-trivial values per channel.
public func batchNormWeights(_ channels: Int) -> [WeightRole: Tensor] {
    func t(_ f: (Int) -> Float) -> Tensor { Tensor(shape: [channels], values: (0..<channels).map(f)) }
    return [
        .gamma: t { 0.5 + Float($0) * 0.3 }, .beta: t { Float($0) * 0.2 - 0.1 },
        .movingMean: t { Float($0) * 0.1 - 0.2 }, .movingVariance: t { 0.4 + Float($0) * 0.5 },
    ]
}

/// Element-wise closeness with a tolerance relative to the expected magnitude.
public func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}
