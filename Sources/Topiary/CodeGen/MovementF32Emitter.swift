/// The ops that only move values (`Movement`) in float, each as its `tp_layout_f32.h` kernel.
/// The float kernels work out their indices with per-axis counters rather than reading the
/// `GatherTable` the int8 kernel stores, so no table takes flash; all of them take a parameter
/// struct, the input and the output.
struct MovementF32Emitter: LayerKernel {
    /// The C function; its parameter type is this name with `_params`.
    let function: String
    /// The fields of the parameter struct, in declaration order.
    let fields: [(String, String)]

    init(node: Node, inputShape: [Int], movement: Movement) throws {
        let spatialShapes = [
            ("channels", "\(inputShape.last ?? 1)"),
            ("input_shape", CInitializer.list(Array(inputShape.dropLast()))),
            ("output_shape", CInitializer.list(Array(node.outputShape.dropLast()))),
        ]
        switch movement {
        case let .permute(dims):
            // For each output axis, the stride of the input axis it comes from: the kernel walks
            // the output in order and gathers.
            try ShapeArrays.check(rank: inputShape.count, node: node)
            let inputStrides = ShapeArrays.strides(inputShape)
            function = "tp_permute_f32"
            fields = [
                ("rank", "\(dims.count)"),
                ("output_shape", CInitializer.list(dims.map { inputShape[$0] })),
                ("input_stride", CInitializer.list(dims.map { inputStrides[$0] })),
            ]
        case let .zeroPadding(amounts), let .cropping(amounts):
            // Output position `o` of a spatial axis reads input position `o + offset`, zero outside.
            try ShapeArrays.check(rank: amounts.count, node: node)
            let padding = if case .zeroPadding = movement { true } else { false }
            function = "tp_resample_f32"
            fields =
                [("rank", "\(amounts.count)")] + spatialShapes + [
                    ("offset", CInitializer.list(amounts.map { padding ? -$0.before : $0.before })),
                    ("size", CInitializer.list(Array(repeating: 1, count: amounts.count))),
                ]
        case let .upSampling(size):
            try ShapeArrays.check(rank: size.count, node: node)
            function = "tp_resample_f32"
            fields =
                [("rank", "\(size.count)")] + spatialShapes + [
                    ("offset", CInitializer.list(Array(repeating: 0, count: size.count))), ("size", CInitializer.list(size)),
                ]
        case let .reverse(axis):
            // Rows of everything after the axis, reversed within each index of the axes before.
            let layout = try AxisLayout(node: node, shape: inputShape, axis: axis)
            function = "tp_reverse_f32"
            fields = [("outer", "\(layout.outer)"), ("length", "\(layout.length)"), ("inner", "\(layout.inner)")]
        }
    }

    var storage: OutputStorage { .fresh }
    var headers: [String] { ["tp_layout_f32.h"] }

    func emit(_ site: CallSite) throws -> LayerCode {
        LayerCode(
            declarations: [CInitializer.declaration(type: function + "_params", symbol: site.paramsSymbol, fields: fields)],
            statements: ["\(function)(&\(site.paramsSymbol), \(site.inputs[0]), \(site.output));"])
    }
}
