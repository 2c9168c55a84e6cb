extension Op {
    /// A short human description: the op and its geometry, e.g. `conv2d 3x3 /2 same`.
    public var summary: String {
        func window(_ kernel: [Int], _ strides: [Int], _ dilation: [Int], _ padding: Padding) -> String {
            var text = kernel.map(String.init).joined(separator: "x")
            if strides.contains(where: { $0 != 1 }) { text += " /" + strides.map(String.init).joined(separator: "x") }
            if dilation.contains(where: { $0 != 1 }) { text += " dil " + dilation.map(String.init).joined(separator: "x") }
            return text + " " + padding.rawValue
        }
        switch self {
        case .input: return "input"
        case .identity: return "identity"
        case let .dense(d): return "dense \(d.units)" + (d.useBias ? "" : " no-bias")
        case let .conv(c): return "conv\(c.rank)d \(window(c.kernelSize, c.strides, c.dilation, c.padding))"
        case let .depthwiseConv(c):
            return "depthwise\(c.rank)d \(window(c.kernelSize, c.strides, c.dilation, c.padding))"
                + (c.depthMultiplier > 1 ? " x\(c.depthMultiplier)" : "")
        case let .separableConv(c): return "separable\(c.rank)d \(window(c.kernelSize, c.strides, c.dilation, c.padding))"
        case let .pool(p):
            return
                "\(p.kind == .max ? "max" : "avg")pool\(p.rank)d \(window(p.poolSize, p.strides, Array(repeating: 1, count: p.rank), p.padding))"
        case let .globalPool(g): return "global \(g.kind.rawValue)pool\(g.rank)d"
        case .flatten: return "flatten"
        case let .reshape(target): return "reshape \(target)"
        case let .move(movement): return movement.summary
        case let .batchNorm(b): return "batchnorm axis \(b.axis + 1)"
        case let .activation(a):
            switch a {
            case let .softmax(axis), let .logSoftmax(axis): return "activation \(a) axis \(axis + 1)"
            default: return "activation \(a)"
            }
        case .prelu: return "prelu"
        case let .merge(kind): return kind.rawValue
        case let .concatenate(axis): return "concatenate axis \(axis + 1)"
        case let .recurrent(r):
            var text = "\(r.kind.rawValue) \(r.units)"
            if r.kind == .gru { text += r.resetAfter ? " reset-after" : " reset-before" }
            if r.returnSequences { text += " sequences" }
            if r.goBackwards { text += " backwards" }
            return text
        case let .embedding(inputDim, outputDim): return "embedding \(inputDim)x\(outputDim)"
        case .rescaling: return "rescaling"
        case let .normalization(n): return "normalization" + (n.invert ? " inverse" : "")
        case let .convTranspose(c):
            var text = "conv\(c.rank)d-transpose " + c.kernelSize.map(String.init).joined(separator: "x")
            if c.strides.contains(where: { $0 != 1 }) { text += " /" + c.strides.map(String.init).joined(separator: "x") }
            return text + " " + c.padding.rawValue
        case let .layerNorm(l): return "layernorm axes \(l.axes.map { $0 + 1 })"
        }
    }
}
