/// A fixed per-channel `y = x · scale[k] + shift[k]` along one axis: a BatchNorm that no
/// kernel before it could absorb, `Rescaling` and `Normalization`. Fine-tuning trains through
/// it without changing it, as conversion folds what it can.
struct AffineGradient: DifferentiableOp {
    let layout: AxisLayout
    let scale: [Float]
    let shift: [Float]

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        var values = inputs[0]
        layout.affine(&values, scale: scale, shift: shift)
        return values
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        var dx = gradient
        layout.affine(&dx, scale: scale, shift: [Float](repeating: 0, count: scale.count))
        return [dx]
    }
}

/// `PReLU` with its `alpha` (expanded to the input's shape) held fixed, and its backward pass.
struct PReLUGradient: DifferentiableOp {
    let alpha: [Float]

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        var values = inputs[0]
        for i in values.indices where values[i] <= 0 { values[i] *= alpha[i] }
        return values
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        var dx = gradient
        for i in dx.indices where inputs[0][i] <= 0 { dx[i] *= alpha[i] }
        return [dx]
    }
}
