extension Graph {
    /// For each node, the index of the last node that reads its output: the node itself when
    /// none does, and `nodes.count` (after every node) for the model's outputs, which the
    /// caller reads last. The reference engines drop a value after its last reader; the
    /// memory planner reuses its buffer from then on.
    var lastReaders: [Int] {
        var last = Array(nodes.indices)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs { last[input] = max(last[input], index) }
        }
        for output in outputs { last[output] = nodes.count }
        return last
    }

    /// Runs every node but the inputs in order, `forward(index, values of its inputs)`, from
    /// `inputs` (one value per model input, in order, already checked); returns every node's
    /// value, or, unless `keepAll`, only those still needed: each is dropped once its last
    /// reader (`lastReaders`) has run. The loop of the float and the int8 reference engines, and
    /// of bias correction, whose values are every calibration sample's at once.
    func evaluate<Value>(
        _ inputs: [Value], lastReaders: [Int], keepAll: Bool, forward: (Int, [Value]) throws -> Value
    ) rethrows -> [Value?] {
        var values = [Value?](repeating: nil, count: nodes.count)
        for (position, index) in self.inputs.enumerated() { values[index] = inputs[position] }
        for (index, node) in nodes.enumerated() {
            if case .input = node.op { continue }
            values[index] = try forward(index, node.inputs.map { values[$0]! })
            if !keepAll {
                for input in node.inputs where lastReaders[input] == index { values[input] = nil }
            }
        }
        return values
    }
}
