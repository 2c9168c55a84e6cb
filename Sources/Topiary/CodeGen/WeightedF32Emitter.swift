/// `Dense`, `Conv1D/2D`, `DepthwiseConv1D/2D` and `SeparableConv1D/2D` computed in float, as
/// one call `tp_<layer>_f32(&params, input, kernels…, bias, output[, scratch])`.
///
/// Kernels stored as int8 with a float scale per output channel (the quantizer's
/// `storedWeights`, `--quantize int8-weights`) are declared here as int8 arrays and scales and
/// passed to the same layer's `tp_<layer>_s8w_f32`, which runs the float kernel's loops on
/// them; float kernels go through the weight packer. The Keras kernels are used as stored:
/// flattened, a convolution kernel `[k…, cin, filters]` is the `[taps · cin, filters]` matrix
/// the C reads.
struct WeightedF32Emitter: LayerKernel {
    /// One kernel tensor the call passes, in argument order.
    struct Kernel {
        let role: WeightRole
        /// The float array's key (`WeightRequest.key`) and the comment over it.
        let key: String
        let meaning: String
        let shape: [Int]
    }

    let node: Node
    /// The C function without its `_f32` or `_s8w_f32` suffix.
    let function: String
    /// The fields of the parameter struct `<function>_f32_params`, in declaration order.
    let fields: [(String, String)]
    let kernels: [Kernel]
    let biasCount: Int
    let useBias: Bool
    let scratchBytes: Int
    /// The int8 storage of the kernels; empty when they are float.
    let stored: [WeightRole: QuantizedWeights]

    init(node: Node, inputShape: [Int], stored: [WeightRole: QuantizedWeights]) throws {
        self.node = node
        self.stored = stored
        var scratchBytes = 0
        switch node.op {
        case let .dense(d):
            let inputWidth = inputShape.last ?? 1
            function = "tp_dense"
            fields = [
                ("rows", "\(inputShape.dropLast().reduce(1, *))"), ("input_width", "\(inputWidth)"), ("units", "\(d.units)"),
                ("activation", try node.activationLiteral(d.activation)),
            ]
            kernels = [Kernel(role: .kernel, key: "kernel", meaning: "kernel [in, units]", shape: [inputWidth, d.units])]
            (biasCount, useBias) = (d.units, d.useBias)
        case let .conv(c):
            let g = try WindowGeometry(node: node, inputShape: inputShape, window: c.window)
            function = "tp_conv2d"
            fields = [("window", g.literal), ("filters", "\(c.filters)"), ("activation", try node.activationLiteral(c.activation))]
            kernels = [
                Kernel(role: .kernel, key: "kernel", meaning: "kernel [k..., cin, filters]", shape: c.kernelSize + [g.channels, c.filters])
            ]
            (biasCount, useBias) = (c.filters, c.useBias)
        case let .depthwiseConv(c):
            let g = try WindowGeometry(node: node, inputShape: inputShape, window: c.window)
            function = "tp_depthwise_conv2d"
            fields = [
                ("window", g.literal), ("multiplier", "\(c.depthMultiplier)"), ("activation", try node.activationLiteral(c.activation)),
            ]
            kernels = [Self.depthwiseKernel(c.kernelSize, channels: g.channels, multiplier: c.depthMultiplier)]
            (biasCount, useBias) = (g.channels * c.depthMultiplier, c.useBias)
        case let .separableConv(c):
            // The depthwise result goes to planned scratch memory.
            let g = try WindowGeometry(node: node, inputShape: inputShape, window: c.window)
            let width = g.channels * c.depthMultiplier
            function = "tp_separable_conv2d"
            fields = [
                ("window", g.literal), ("multiplier", "\(c.depthMultiplier)"), ("filters", "\(c.filters)"),
                ("activation", try node.activationLiteral(c.activation)),
            ]
            kernels = [
                Self.depthwiseKernel(c.kernelSize, channels: g.channels, multiplier: c.depthMultiplier),
                Kernel(
                    role: .pointwiseKernel, key: "pointwise_kernel", meaning: "pointwise kernel [1..., cin * multiplier, filters]",
                    shape: Array(repeating: 1, count: c.rank) + [width, c.filters]),
            ]
            (biasCount, useBias) = (c.filters, c.useBias)
            scratchBytes = g.outputPositions * width * 4
        default:
            // Only a quantizer's int8 storage can bring another op here.
            throw CodeGenError.unsupported(layer: node.name, reason: "\(node.kerasClass) has no int8-weight kernel")
        }
        self.scratchBytes = scratchBytes
    }

    private static func depthwiseKernel(_ size: [Int], channels: Int, multiplier: Int) -> Kernel {
        Kernel(
            role: .depthwiseKernel, key: "depthwise_kernel", meaning: "depthwise kernel [k..., cin, multiplier]",
            shape: size + [channels, multiplier])
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { stored.isEmpty ? [function == "tp_dense" ? "tp_dense_f32.h" : "tp_conv_f32.h"] : ["tp_s8w_f32.h"] }

    func weights() throws -> [WeightRequest] {
        var requests: [WeightRequest] = []
        if stored.isEmpty {
            for kernel in kernels {
                let tensor = try node.weight(kernel.role, shape: kernel.shape)
                requests.append(WeightRequest(key: kernel.key, meaning: kernel.meaning, shape: tensor.shape, values: tensor.values))
            }
        }
        return try requests + node.biasRequest(count: biasCount, required: useBias)
    }

    func emit(_ site: CallSite) throws -> LayerCode {
        var declarations: [String] = []
        var arguments = ["&" + site.paramsSymbol, site.inputs[0]]
        if stored.isEmpty {
            arguments += kernels.map { site.weight($0.key) }
        } else {
            for kernel in kernels {
                arguments += try declareStored(kernel.role, site, into: &declarations)
            }
        }
        arguments += [site.weight("bias"), site.output] + (scratchBytes > 0 ? [site.scratch ?? "NULL"] : [])
        declarations.append(CInitializer.declaration(type: function + "_f32_params", symbol: site.paramsSymbol, fields: fields))
        let suffix = stored.isEmpty ? "_f32" : "_s8w_f32"
        return LayerCode(declarations: declarations, statements: ["\(function)\(suffix)(\(arguments.joined(separator: ", ")));"])
    }

    /// The int8 array and the scales of `role`, declared; returns their symbols.
    private func declareStored(_ role: WeightRole, _ site: CallSite, into declarations: inout [String]) throws -> [String] {
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
        return [values, scales]
    }
}
