/// A Dense, convolution, depthwise or separable convolution whose kernels are stored as int8
/// with a float scale per output channel (`--quantize int8-weights`), computed in float by
/// the kernels of `tp_s8w_f32.h`. The int8 arrays and scales are declared here; the float
/// bias goes through the float path's weight packer.
struct Int8WeightsF32Emitter: LayerKernel {
    let node: Node
    let geometry: WindowGeometry?
    let rows: Int
    let inputWidth: Int
    let stored: [WeightRole: QuantizedWeights]

    init(node: Node, inputShape: [Int], stored: [WeightRole: QuantizedWeights]) throws {
        self.node = node
        self.stored = stored
        switch node.op {
        case .dense:
            geometry = nil
        case let .conv(c):
            geometry = try WindowGeometry(node: node, inputShape: inputShape, convolution: c)
        case let .depthwiseConv(c):
            geometry = try WindowGeometry(node: node, inputShape: inputShape, convolution: c)
        case let .separableConv(c):
            geometry = try WindowGeometry(node: node, inputShape: inputShape, convolution: c)
        default:
            throw CodeGenError.unsupported(layer: node.name, reason: "\(node.kerasClass) has no int8-weight kernel")
        }
        rows = inputShape.dropLast().reduce(1, *)
        inputWidth = inputShape.last ?? 1
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_s8w_f32.h"] }
    var scratchBytes: Int {
        if case let .separableConv(c) = node.op, let g = geometry { return g.outputPositions * g.channels * c.depthMultiplier * 4 }
        return 0
    }

    func weights() throws -> [WeightRequest] {
        guard let bias = node.weights[.bias] else { return [] }
        return [WeightRequest(key: "bias", meaning: "bias", shape: bias.shape, values: bias.values)]
    }

    /// The int8 array and the scales of `role`, declared; returns their symbols.
    private func declare(_ role: WeightRole, _ site: CallSite, into declarations: inout [String]) throws -> (String, String) {
        guard let weights = stored[role] else {
            throw InferenceError(.invalidGraph, layer: node.name, "\(node.kerasClass) weight '\(role.rawValue)' has no int8 storage")
        }
        let values = site.claim(role.rawValue + "_s8"), scales = site.claim(role.rawValue + "_scales")
        let shape = "[" + weights.shape.map(String.init).joined(separator: ", ") + "]"
        declarations.append(
            CIntegerArray(
                key: role.rawValue, meaning: "\(role.rawValue) \(shape), int8 with a scale per output channel",
                type: .int8, weights.values
            ).declaration(symbol: values, layer: node.name))
        var literals: [String] = []
        for scale in weights.scales {
            do { literals.append(try CFloatLiteral.literal(scale)) } catch {
                throw CodeGenError.nonFiniteParameter(layer: node.name, parameter: "\(role.rawValue) scale")
            }
        }
        var lines = [CComment.block("\(node.name): \(role.rawValue) scales, \(weights.scales.count) x float")]
        lines.append("static const float \(scales)[\(literals.count)] TOPIARY_WEIGHTS_SECTION = {")
        var index = 0
        while index < literals.count {
            let end = min(index + 6, literals.count)
            lines.append("    " + literals[index..<end].joined(separator: ", ") + (end == literals.count ? "" : ","))
            index = end
        }
        lines.append("};")
        declarations.append(lines.joined(separator: "\n"))
        return (values, scales)
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        var declarations: [String] = []
        let p = site.paramsSymbol, input = site.inputs[0], output = site.output, bias = site.weight("bias")
        switch node.op {
        case let .dense(d):
            let (w, s) = try declare(.kernel, site, into: &declarations)
            declarations.append(
                CInitializer.declaration(
                    type: "tp_dense_f32_params", symbol: p,
                    fields: [
                        ("rows", "\(rows)"), ("input_width", "\(inputWidth)"), ("units", "\(d.units)"),
                        ("activation", try node.activationLiteral(d.activation)),
                    ]))
            return LayerCode(declarations: declarations, statements: ["tp_dense_s8w_f32(&\(p), \(input), \(w), \(s), \(bias), \(output));"])
        case let .conv(c):
            let (w, s) = try declare(.kernel, site, into: &declarations)
            declarations.append(
                CInitializer.declaration(
                    type: "tp_conv2d_f32_params", symbol: p,
                    fields: [
                        ("window", geometry!.literal), ("filters", "\(c.filters)"),
                        ("activation", try node.activationLiteral(c.activation)),
                    ]))
            return LayerCode(
                declarations: declarations, statements: ["tp_conv2d_s8w_f32(&\(p), \(input), \(w), \(s), \(bias), \(output));"])
        case let .depthwiseConv(c):
            let (w, s) = try declare(.depthwiseKernel, site, into: &declarations)
            declarations.append(
                CInitializer.declaration(
                    type: "tp_depthwise_conv2d_f32_params", symbol: p,
                    fields: [
                        ("window", geometry!.literal), ("multiplier", "\(c.depthMultiplier)"),
                        ("activation", try node.activationLiteral(c.activation)),
                    ]))
            return LayerCode(
                declarations: declarations,
                statements: ["tp_depthwise_conv2d_s8w_f32(&\(p), \(input), \(w), \(s), \(bias), \(output));"])
        case let .separableConv(c):
            let (dw, ds) = try declare(.depthwiseKernel, site, into: &declarations)
            let (pw, ps) = try declare(.pointwiseKernel, site, into: &declarations)
            declarations.append(
                CInitializer.declaration(
                    type: "tp_separable_conv2d_f32_params", symbol: p,
                    fields: [
                        ("window", geometry!.literal), ("multiplier", "\(c.depthMultiplier)"), ("filters", "\(c.filters)"),
                        ("activation", try node.activationLiteral(c.activation)),
                    ]))
            return LayerCode(
                declarations: declarations,
                statements: [
                    "tp_separable_conv2d_s8w_f32(&\(p), \(input), \(dw), \(ds), \(pw), \(ps), \(bias), \(output), \(site.scratch ?? "NULL"));"
                ])
        default:
            throw CodeGenError.unsupported(layer: node.name, reason: "\(node.kerasClass) has no int8-weight kernel")
        }
    }
}
