/// Ops that only move values, and their backward passes: the same values (identity, Flatten,
/// Reshape, Dropout at inference), or a `GatherTable` (`Op.onlyMovesValues`) whose backward
/// pass adds each output row's gradient back into the input row it was copied from.
struct PassThroughGradient: DifferentiableOp {
    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] { inputs[0] }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] { [gradient] }
}

struct GatherGradient: DifferentiableOp {
    let gather: GatherTable
    let inputCount: Int

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        gather.apply(inputs[0], padding: 0)
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let n = gather.rowLength
        var dx = [Float](repeating: 0, count: inputCount)
        for (row, source) in gather.sources.enumerated() where source >= 0 {
            for c in 0..<n { dx[Int(source) * n + c] += gradient[row * n + c] }
        }
        return [dx]
    }
}
