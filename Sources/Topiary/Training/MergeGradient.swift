/// `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum` of same-shaped inputs, and
/// their backward pass (maximum and minimum: to the first input holding the extreme).
struct MergeGradient: DifferentiableOp {
    let kind: MergeKind

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        var out = inputs[0]
        for x in inputs.dropFirst() {
            for i in out.indices {
                switch kind {
                case .add, .average: out[i] += x[i]
                case .subtract: out[i] -= x[i]
                case .multiply: out[i] *= x[i]
                case .maximum: out[i] = max(out[i], x[i])
                case .minimum: out[i] = min(out[i], x[i])
                }
            }
        }
        if kind == .average { for i in out.indices { out[i] /= Float(inputs.count) } }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        switch kind {
        case .add:
            return inputs.map { _ in gradient }
        case .average:
            let scaled = gradient.map { $0 / Float(inputs.count) }
            return inputs.map { _ in scaled }
        case .subtract:
            // Keras's Subtract takes exactly two inputs: x0 − x1.
            return [gradient] + inputs.dropFirst().map { _ in gradient.map { -$0 } }
        case .multiply:
            return inputs.indices.map { k in
                gradient.indices.map { i in
                    var product = gradient[i]
                    for (j, x) in inputs.enumerated() where j != k { product *= x[i] }
                    return product
                }
            }
        case .maximum, .minimum:
            var result = inputs.map { [Float](repeating: 0, count: $0.count) }
            for i in gradient.indices {
                var best = 0
                for k in 1..<inputs.count {
                    let better = kind == .maximum ? inputs[k][i] > inputs[best][i] : inputs[k][i] < inputs[best][i]
                    if better { best = k }
                }
                result[best][i] = gradient[i]
            }
            return result
        }
    }
}

/// `Concatenate` along one axis (the blocks of `ConcatenateKernel`), and its backward pass,
/// which cuts the gradient back into the inputs' blocks.
struct ConcatenateGradient: DifferentiableOp {
    let outer: Int
    let blocks: [Int]

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(outer * blocks.reduce(0, +))
        for o in 0..<outer {
            for (input, block) in zip(inputs, blocks) { out.append(contentsOf: input[(o * block)..<((o + 1) * block)]) }
        }
        return out
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        var result = blocks.map { [Float](repeating: 0, count: outer * $0) }
        var offset = 0
        for o in 0..<outer {
            for (k, block) in blocks.enumerated() {
                for i in 0..<block { result[k][o * block + i] = gradient[offset + i] }
                offset += block
            }
        }
        return result
    }
}
