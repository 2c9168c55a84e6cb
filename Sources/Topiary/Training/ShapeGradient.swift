/// Ops that only move values, and their backward passes: the same values (identity, Flatten,
/// Reshape, Dropout at inference), or a gather table (`Permute`, `ZeroPadding`, `Cropping`,
/// `UpSampling`, from `GatherKernel`) whose backward pass adds each output row's gradient back
/// into the input row it was copied from.
struct PassThroughGradient: DifferentiableOp {
    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] { inputs[0] }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] { [gradient] }
}

struct GatherGradient: DifferentiableOp {
    let gather: GatherKernel
    let inputCount: Int

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        let n = gather.rowLength
        var out = [Float](repeating: 0, count: gather.sources.count * n)
        for (row, source) in gather.sources.enumerated() where source >= 0 {
            for c in 0..<n { out[row * n + c] = inputs[0][Int(source) * n + c] }
        }
        return out
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
