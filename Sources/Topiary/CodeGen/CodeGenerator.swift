/// Turns a float `Graph` into dependency-free C99: `NAME.h`, `NAME.c` and the kernel headers
/// they include.
///
/// The steps are separate so each can change alone: `KernelSelector` picks a kernel per node,
/// `ActivationPlan` places every activation in one static arena, `WeightPacker` packs each
/// weight tensor into a `static const` array, and the emitters write the calls. The output
/// depends only on the graph, the options and the source description, so the same input
/// always gives byte-identical files.
public struct CodeGenerator: Sendable {
    public var options: ConversionOptions
    /// The model's files, for the header comment; `nil` for a graph built in memory.
    public var source: SourceDescription?

    public init(options: ConversionOptions = ConversionOptions(), source: SourceDescription? = nil) {
        self.options = options
        self.source = source
    }

    /// The C name `graph` gets: `options.name`, checked, or the sanitized Keras model name.
    public func cName(for graph: Graph) throws -> String {
        if let name = options.name {
            guard CIdentifier.isValid(name) else { throw CodeGenError.invalidName(name) }
            return name
        }
        return CIdentifier.sanitize(graph.name, prefix: "model")
    }

    public func generate(_ graph: Graph) throws -> GeneratedModel {
        // The reference engine checks every weight and shape with messages naming the layer;
        // once it accepts the graph, the emitters can rely on it.
        _ = try FloatInference(graph: graph)
        let name = try cName(for: graph)
        let macro = CIdentifier.macroCase(name)

        var kernels: [(any LayerKernel)?] = []
        for node in graph.nodes {
            let shapes = node.inputs.map { graph.nodes[$0].outputShape }
            kernels.append(try KernelSelector.kernel(for: node, inputShapes: shapes))
        }
        let plan = ActivationPlan(graph: graph, storage: kernels.map { $0?.storage ?? .fresh },
                                  scratchBytes: kernels.map { $0?.scratchBytes ?? 0 })

        let arenaSymbol = "\(name)_arena"
        var symbols = CSymbolTable(reserved: [
            "\(name)_predict", "\(name)_predict_multi", "\(name)_run", arenaSymbol, "\(name)_requires_ieee_float",
            "inputs", "outputs", "input", "output", "status",
        ])
        var packer = WeightPacker()
        var parameters: [String] = []
        var body: [String] = []
        var headers = Set<String>()
        var canFail = false

        func location(_ index: Int) -> String {
            InferenceBody.location(of: index, in: plan, view: "\(arenaSymbol).f32", elementBytes: 4)
        }

        for (index, node) in graph.nodes.enumerated() {
            guard let kernel = kernels[index] else { continue }
            headers.formUnion(kernel.headers)
            canFail = canFail || kernel.canFail
            var weightSymbols: [String: String] = [:]
            for request in try kernel.weights() {
                weightSymbols[request.key] = try packer.pack(request, for: node, symbols: &symbols)
            }
            var code = LayerCode()
            if kernel.storage != .alias {
                let paramsSymbol = symbols.claim(node.name, "params")
                let site = CallSite(node: node, paramsSymbol: paramsSymbol, inputs: node.inputs.map(location),
                                    output: location(index), scratch: plan.scratchOffsets[index].map { "\(arenaSymbol).f32 + \($0 / 4)" },
                                    weights: weightSymbols, claim: { symbols.claim(node.name, $0) })
                code = try kernel.emit(site)
            }
            parameters.append(contentsOf: code.declarations)
            if !body.isEmpty { body.append("") }
            body.append(InferenceBody.layerComment(node, graph: graph, storage: kernel.storage, inPlace: plan.inPlace[index]))
            body.append(contentsOf: code.statements)
            if !code.statements.isEmpty { body.append(InferenceBody.profileMark(after: index)) }
        }

        body += InferenceBody.outputCopies(graph, copy: "tp_copy_f32", location: location)
        body.append("return 0;")
        body.insert(contentsOf: [InferenceBody.profileMark(after: nil), ""], at: 0)
        if canFail { body.insert(contentsOf: ["tp_status status;", ""], at: 0) }
        headers.insert("topiary.h")

        let inputSizes = graph.inputs.map { graph.nodes[$0].outputShape.elementCount }
        let outputSizes = graph.outputs.map { graph.nodes[$0].outputShape.elementCount }
        let weightBytes = packer.totalBytes
        let summary = InterfaceText(name: name, macro: macro, graph: graph, plan: plan, weightBytes: weightBytes,
                              weightArrays: packer.arrays.count, options: options, source: source)

        let headerText = TemplateRenderer.render(EmbeddedFiles.modelHeaderTemplate, [
            "provenance": summary.provenance(file: name + ".h"),
            "name": name, "MACRO": macro, "guard": "TOPIARY_MODEL_\(macro)_H",
            "macros": summary.macros(inputSizes: inputSizes, outputSizes: outputSizes),
            "prototypes": summary.prototypes(),
        ])
        let sourceText = TemplateRenderer.render(EmbeddedFiles.modelSourceTemplate, [
            "provenance": summary.provenance(file: name + ".c"),
            "name": name,
            "includes": headers.sorted().map { "#include \"\($0)\"" }.joined(separator: "\n"),
            "weight_bytes": "\(weightBytes)",
            "weights": packer.arrays.isEmpty ? "/* This model has no weights. */" : packer.arrays.map(\.declaration).joined(separator: "\n\n"),
            "parameters": parameters.isEmpty ? "/* No layer takes parameters. */" : parameters.joined(separator: "\n\n"),
            "arena": summary.arenaDeclaration(symbol: arenaSymbol),
            "body": InferenceBody.indented(body),
            "entry_points": summary.entryPoints(),
        ])

        let files = GeneratedModel.files(name: name, header: headerText, source: sourceText, kernelHeaders: headers)
        return GeneratedModel(name: name, files: files, arenaBytes: plan.arenaBytes, unsharedArenaBytes: plan.unsharedBytes,
                              weightBytes: weightBytes, weights: packer.arrays, inputSizes: inputSizes, outputSizes: outputSizes)
    }

    static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
