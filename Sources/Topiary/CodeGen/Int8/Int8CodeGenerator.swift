/// Turns an int8 `Graph` (one the `Quantizer` produced) into dependency-free C99 whose
/// `NAME_predict_int8` computes exactly what `Int8Inference` computes.
///
/// It reuses the float generator's machinery: the liveness planner (with one byte per
/// element), the symbol table, the templates' renderer and the float kernels for layers kept
/// in float; what differs is the kernel choice (`Int8KernelSelector`), the packing of each
/// weighted layer into its smallest (or the requested) sparse format (`RowPacker`), and the
/// entry points.
public struct Int8CodeGenerator: Sendable {
    public var options: ConversionOptions
    /// `--format`.
    public var format: FormatChoice
    /// The compression flags, recorded in the header comment.
    public var compression: String
    public var source: SourceDescription?

    public init(options: ConversionOptions = ConversionOptions(), format: FormatChoice = .auto, compression: String = "",
                source: SourceDescription? = nil) {
        self.options = options
        self.format = format
        self.compression = compression
        self.source = source
    }

    public func generate(_ graph: Graph) throws -> Int8Model {
        // The integer reference accepts the graph only when every node has consistent int8
        // parameters; once it does, the emitters can rely on them.
        let reference = try Int8Inference(graph: graph)
        let name = try CodeGenerator(options: options).cName(for: graph)
        let macro = CIdentifier.macroCase(name)

        var kernels: [(any Int8LayerKernel)?] = []
        for node in graph.nodes {
            kernels.append(try Int8KernelSelector.kernel(for: node, in: graph, format: format))
        }
        let plan = ActivationPlan(graph: graph, storage: kernels.map { $0?.storage ?? .fresh },
                                  scratchBytes: kernels.map { $0?.scratchBytes ?? 0 }, elementBytes: 1)
        let arenaSymbol = "\(name)_arena"
        var symbols = CSymbolTable(reserved: [
            "\(name)_predict", "\(name)_predict_multi", "\(name)_predict_int8", "\(name)_predict_int8_multi",
            "\(name)_run", arenaSymbol, "\(name)_staging", "\(name)_requires_ieee_float",
            "inputs", "outputs", "input", "output", "status", "xs", "quantized_inputs", "quantized_outputs", "k",
        ])
        var floatPacker = WeightPacker()
        var arrays: [String] = []
        var arrayCount = 0
        var arrayBytes = 0
        var parameters: [String] = []
        var body: [String] = []
        var headers = Set<String>(["topiary.h"])
        var footprints: [LayerFootprint] = []
        var floatLayers: [String] = []
        var canFail = false

        func location(_ index: Int) -> String {
            InferenceBody.location(of: index, in: plan, view: "\(arenaSymbol).s8", elementBytes: 1)
        }

        for (index, node) in graph.nodes.enumerated() {
            guard let kernel = kernels[index] else { continue }
            headers.formUnion(kernel.headers)
            if let footprint = kernel.footprint { footprints.append(footprint) }
            var arraySymbols: [String: String] = [:]
            for array in try kernel.arrays() {
                let symbol = symbols.claim(node.name, array.key)
                arraySymbols[array.key] = symbol
                arrays.append(array.declaration(symbol: symbol, layer: node.name))
                arrayCount += 1
                arrayBytes += array.bytes
            }
            var floatWeights: [String: String] = [:]
            if let island = kernel as? FloatLayerS8Emitter {
                floatLayers.append(node.name)
                canFail = canFail || island.float.canFail
                for request in try island.float.weights() {
                    floatWeights[request.key] = try floatPacker.pack(request, for: node, symbols: &symbols)
                }
            }
            var code = LayerCode()
            if kernel.storage != .alias {
                let site = Int8CallSite(node: node, paramsSymbol: symbols.claim(node.name, "params"), inputs: node.inputs.map(location),
                                        output: location(index), scratchOffset: plan.scratchOffsets[index], arena: arenaSymbol,
                                        arrays: arraySymbols, floatWeights: floatWeights, claim: { symbols.claim(node.name, $0) })
                code = try kernel.emit(site)
            }
            parameters.append(contentsOf: code.declarations)
            if !body.isEmpty { body.append("") }
            body.append(InferenceBody.layerComment(node, graph: graph, storage: kernel.storage, inPlace: plan.inPlace[index],
                                                   details: arithmeticText(node)))
            body.append(contentsOf: code.statements)
            if !code.statements.isEmpty { body.append(InferenceBody.profileMark(after: index)) }
        }
        body += InferenceBody.outputCopies(graph, copy: "tp_copy_s8", location: location)
        body.append("return 0;")
        body.insert(contentsOf: [InferenceBody.profileMark(after: nil), ""], at: 0)
        if canFail { body.insert(contentsOf: ["tp_status status;", ""], at: 0) }
        headers.insert("tp_elementwise_s8.h")
        headers.insert("tp_quantize_f32.h")

        let weightDeclarations = floatPacker.arrays.map(\.declaration) + arrays
        let weightBytes = arrayBytes + floatPacker.totalBytes
        let text = Int8InterfaceText(name: name, macro: macro, graph: graph, plan: plan, weightBytes: weightBytes,
                                     weightArrays: weightDeclarations.count, options: options, compression: compression, source: source,
                                     inputQuantization: reference.inputQuantization, outputQuantization: reference.outputQuantization)
        let headerText = TemplateRenderer.render(EmbeddedFiles.int8HeaderTemplate, [
            "provenance": text.provenance(file: name + ".h"),
            "name": name, "MACRO": macro, "guard": "TOPIARY_MODEL_\(macro)_H",
            "macros": try text.macros(),
            "prototypes": text.prototypes(),
        ])
        let sourceText = TemplateRenderer.render(EmbeddedFiles.int8SourceTemplate, [
            "provenance": text.provenance(file: name + ".c"),
            "name": name,
            "includes": headers.sorted().map { "#include \"\($0)\"" }.joined(separator: "\n"),
            "weight_bytes": "\(weightBytes)",
            "weights": weightDeclarations.isEmpty ? "/* This model has no constant arrays. */" : weightDeclarations.joined(separator: "\n\n"),
            "parameters": parameters.isEmpty ? "/* No layer takes parameters. */" : parameters.joined(separator: "\n\n"),
            "arena": text.arenaDeclaration(symbol: arenaSymbol),
            "body": InferenceBody.indented(body),
            "entry_points": try text.entryPoints(),
        ])
        let files = GeneratedModel.files(name: name, header: headerText, source: sourceText, kernelHeaders: headers)
        let generated = GeneratedModel(name: name, files: files, arenaBytes: plan.arenaBytes, unsharedArenaBytes: plan.unsharedBytes,
                                       weightBytes: weightBytes, weights: floatPacker.arrays, inputSizes: text.inputSizes,
                                       outputSizes: text.outputSizes)
        return Int8Model(generated: generated, layers: footprints, inputQuantization: reference.inputQuantization,
                         outputQuantization: reference.outputQuantization, floatLayers: floatLayers)
    }

    /// What the comment over a layer's call adds on the int8 path: the output's quantization
    /// and whether the layer is computed in float.
    private func arithmeticText(_ node: Node) -> String {
        var text = ""
        if let q = node.quantization?.output { text += ", int8 scale \(q.scale) zero point \(q.zeroPoint)" }
        if case .float = node.quantization?.arithmetic { text += "; computed in float" }
        return text
    }
}
