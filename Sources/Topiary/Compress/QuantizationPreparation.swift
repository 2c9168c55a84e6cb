/// Float-exact rewrites that give every node of the graph one of the shapes the int8 kernels
/// handle, before calibration sees it (so every intermediate tensor the int8 graph has is a
/// node output that calibration measures):
///
/// - a separable convolution becomes its depthwise half (`NAME/depthwise`, no bias) followed by
///   a 1×1 convolution (`NAME`) with the bias and activation: the tensor between them gets its
///   own int8 scale;
/// - an activation fused into a Dense or convolution that integer clamping cannot express
///   (anything but linear, ReLU and ReLU with a maximum) moves into its own activation node
///   (`NAME/activation`), so the layer's pre-activation output is calibrated and the
///   activation becomes a lookup table (or the softmax kernel);
/// - a standalone ReLU / ReLU6 that follows a linear Dense or convolution whose only reader it
///   is, is fused into that layer's output clamp (`ActivationFusion`).
///
/// The float reference gives bit-identical outputs before and after.
public enum QuantizationPreparation {
    public static func apply(_ graph: Graph) throws -> Graph {
        var graph = graph
        var index = 0
        while index < graph.nodes.count {
            let node = graph.nodes[index]
            if case let .separableConv(c) = node.op {
                graph = splitSeparable(index, c, graph)
                continue
            }
            if let activation = node.fusedActivation, ActivationFusion.isWeighted(node.op), !activation.isClamp {
                graph = splitActivation(index, activation, graph)
                index += 1
                continue
            }
            if !ActivationFusion.fuse(index, &graph) { index += 1 }
        }
        return graph
    }

    static func splitActivation(_ index: Int, _ activation: Activation, _ graph: Graph) -> Graph {
        var graph = graph
        let node = graph.nodes[index]
        graph[index].op = ActivationFusion.withActivation(node.op, .linear)
        let activationNode = Node(
            name: graph.unusedName(node.name + "/activation"), layerName: node.layerName,
            kerasClass: node.kerasClass, op: .activation(activation), inputs: [index],
            outputShape: node.outputShape, parameterCount: 0)
        return graph.inserting(activationNode, after: index)
    }

    static func splitSeparable(_ index: Int, _ c: SeparableConvolution, _ graph: Graph) -> Graph {
        var graph = graph
        let node = graph.nodes[index]
        let inputShape = graph.nodes[node.inputs[0]].outputShape
        let middleChannels = inputShape.last! * c.depthMultiplier
        var middleShape = node.outputShape
        middleShape[middleShape.count - 1] = middleChannels
        let depthwise = Node(
            name: graph.unusedName(node.name + "/depthwise"), layerName: node.layerName, kerasClass: node.kerasClass,
            op: .depthwiseConv(
                DepthwiseConvolution(
                    depthMultiplier: c.depthMultiplier, kernelSize: c.kernelSize,
                    strides: c.strides, dilation: c.dilation, padding: c.padding,
                    useBias: false, activation: .linear)),
            inputs: node.inputs, outputShape: middleShape,
            weights: [.depthwiseKernel: node.weights[.depthwiseKernel]!])
        var pointwiseWeights: [WeightRole: Tensor] = [.kernel: node.weights[.pointwiseKernel]!]
        if let bias = node.weights[.bias] { pointwiseWeights[.bias] = bias }
        let pointwise = Node(
            name: node.name, layerName: node.layerName, kerasClass: node.kerasClass,
            op: .conv(
                Convolution(
                    filters: c.filters, kernelSize: Array(repeating: 1, count: c.rank),
                    strides: Array(repeating: 1, count: c.rank), dilation: Array(repeating: 1, count: c.rank),
                    padding: .valid, useBias: c.useBias, activation: c.activation)),
            inputs: [index], outputShape: node.outputShape, weights: pointwiseWeights)
        // The depthwise node takes the separable node's place; the pointwise one follows it.
        graph.nodes[index] = depthwise
        return graph.inserting(pointwise, after: index)
    }
}

extension Activation {
    /// True for the activations an int8 layer applies by clamping its output: linear, ReLU,
    /// and ReLU with a (positive) maximum such as ReLU6.
    var isClamp: Bool {
        switch self {
        case .linear: return true
        case let .relu(slope, maxValue, threshold):
            return slope == 0 && threshold == 0 && (maxValue ?? 1) > 0
        default: return false
        }
    }
}
