/// A standalone activation layer (`Activation`, `ReLU`, `LeakyReLU`, `ELU`, `Softmax`…) as
/// `tp_activation_layer_f32`, in place when the planner allows.
struct ActivationLayerF32Emitter: ElementwiseF32Emitter {
    let node: Node
    let activation: Activation

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode.kernelCall(
            "tp_activation_layer_f32", site: site,
            fields: [("size", "\(node.outputShape.elementCount)"), ("activation", try node.activationLiteral(activation))],
            arguments: [site.inputs[0], site.output])
    }
}
