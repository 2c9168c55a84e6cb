/// `SeparableConv1D/2D` before the activation: a depthwise filtering without bias, then a
/// pointwise product with the bias, and its backward pass through both halves. Parameters:
/// `depthwiseKernel`, `pointwiseKernel [1…, cin · m, filters]`, then `bias [filters]`.
struct SeparableConvolutionGradient: DifferentiableOp {
    let depthwise: DepthwiseConvolutionGradient
    let filters: Int
    let hasBias: Bool

    var pointwise: DenseGradient {
        DenseGradient(
            rows: depthwise.geometry.outputPositions, inputWidth: depthwise.geometry.channels * depthwise.multiplier,
            units: filters, hasBias: hasBias)
    }

    func forward(_ inputs: [[Float]], _ parameters: [[Float]]) -> [Float] {
        let middle = depthwise.forward(inputs, [parameters[0]])
        return pointwise.forward([middle], Array(parameters[1...]))
    }

    func backward(
        _ inputs: [[Float]], _ parameters: [[Float]], gradient: [Float],
        parameterGradients: inout [[Float]]
    ) -> [[Float]] {
        let middle = depthwise.forward(inputs, [parameters[0]])
        var pointwiseGradients = Array(parameterGradients[1...])
        let dMiddle = pointwise.backward([middle], Array(parameters[1...]), gradient: gradient, parameterGradients: &pointwiseGradients)
        var depthwiseGradients = [parameterGradients[0]]
        let dx = depthwise.backward(inputs, [parameters[0]], gradient: dMiddle[0], parameterGradients: &depthwiseGradients)
        parameterGradients = depthwiseGradients + pointwiseGradients
        return dx
    }
}
