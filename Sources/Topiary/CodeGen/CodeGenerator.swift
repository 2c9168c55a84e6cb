/// Turns a `Graph` into dependency-free C99: `NAME.h`, `NAME.c` and the kernel headers they
/// include, for a float graph and for an int8 one alike.
///
/// The steps are separate so each can change alone: `KernelSelector` picks a kernel per node
/// from the graph's precision and the weight format, `ActivationPlan` places every activation
/// in one arena (one element of the model's type per value; static, or the caller's through the
/// `_arena` entry points), `WeightPacker` packs each
/// float weight tensor and the kernels their integer arrays, the emitters write the calls and
/// `InterfaceText` the parts the user reads. The output depends only on the graph, the options
/// and the source description, so the same input always gives byte-identical files.
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
        let precision = graph.precision
        // Lowering's checks, with messages naming the layer; the emitters rely on them and
        // check each weight as they read it.
        try graph.validate()
        var quantization: ModelQuantization?
        if precision == .int8 {
            func encoding(_ index: Int) -> QuantizationParameters { graph.nodes[index].quantization!.output! }
            quantization = ModelQuantization(inputs: graph.inputs.map(encoding), outputs: graph.outputs.map(encoding))
        }
        let name = try cName(for: graph)
        let macro = CIdentifier.macroCase(name)

        let (kernels, plan) = try kernelsAndPlan(for: graph)
        let elementBytes = precision.elementBytes

        let staticArena = "\(name)_arena"
        let arena = InterfaceText.arenaPointer
        let interface = InterfaceText(
            name: name, macro: macro, graph: graph, plan: plan, options: options, source: source,
            quantization: quantization)
        var symbols = CSymbolTable(reserved: interface.reservedSymbols(staticArena: staticArena).sorted())
        var packer = WeightPacker()
        var integerArrays: [String] = []
        var integerBytes = 0
        var parameters: [String] = []
        var body: [String] = []
        var headers = Set(interface.modelHeaders)
        var definitions = Set<String>()
        var footprints: [LayerFootprint] = []
        var floatLayers: [String] = []
        var canFail = false

        func location(_ index: Int) -> String {
            InferenceBody.location(of: index, in: plan, view: "\(arena)->\(interface.arenaView)", elementBytes: elementBytes)
        }

        for (index, node) in graph.nodes.enumerated() {
            guard let kernel = kernels[index] else { continue }
            headers.formUnion(kernel.headers)
            definitions.formUnion(kernel.definitions)
            canFail = canFail || kernel.canFail
            if let footprint = kernel.footprint { footprints.append(footprint) }
            if precision == .int8, case .float = node.quantization?.arithmetic { floatLayers.append(node.name) }
            var arraySymbols: [String: String] = [:]
            for array in try kernel.arrays() {
                let symbol = symbols.claim(node.name, array.key)
                arraySymbols[array.key] = symbol
                integerArrays.append(array.declaration(symbol: symbol, layer: node.name))
                integerBytes += array.bytes
            }
            var weightSymbols: [String: String] = [:]
            for request in try kernel.weights() {
                weightSymbols[request.key] = try packer.pack(request, for: node, symbols: &symbols)
            }
            var code = LayerCode()
            if kernel.storage != .alias {
                let site = CallSite(
                    node: node, paramsSymbol: symbols.claim(node.name, "params"), inputs: node.inputs.map(location),
                    output: location(index), scratchOffset: plan.scratchOffsets[index], arena: arena,
                    weights: weightSymbols, arrays: arraySymbols, claim: { symbols.claim(node.name, $0) })
                code = try kernel.emit(site)
            }
            parameters.append(contentsOf: code.declarations)
            if !body.isEmpty { body.append("") }
            body.append(
                InferenceBody.layerComment(
                    node, graph: graph, storage: kernel.storage, inPlace: plan.inPlace[index], overlap: plan.overlapOffsets[index],
                    details: interface.arithmeticText(node)))
            body.append(contentsOf: code.statements)
            if !code.statements.isEmpty { body.append(InferenceBody.profileMark(after: index)) }
        }

        body += InferenceBody.outputCopies(graph, copy: interface.copyFunction, location: location)
        body.append("return 0;")
        body.insert(contentsOf: [InferenceBody.profileMark(after: nil), ""], at: 0)
        if canFail { body.insert(contentsOf: ["tp_status status;", ""], at: 0) }
        // A model whose tensors all alias its inputs never reads the arena.
        if plan.arenaBytes == 0 { body.insert(contentsOf: ["(void)arena;", ""], at: 0) }

        let declarations = packer.arrays.map(\.declaration) + integerArrays
        let weightBytes = packer.totalBytes + integerBytes
        let headerText = TemplateRenderer.render(
            EmbeddedFiles.modelHeaderTemplate,
            [
                "provenance": interface.provenance(file: name + ".h", weightBytes: weightBytes, weightArrays: declarations.count),
                "usage": interface.usage,
                "guard": "TOPIARY_MODEL_\(macro)_H",
                "system_includes": interface.systemIncludes,
                "macros": try interface.macros(weightBytes: weightBytes),
                "prototypes": interface.prototypes(),
            ])
        let sourceText = TemplateRenderer.render(
            EmbeddedFiles.modelSourceTemplate,
            [
                "provenance": interface.provenance(file: name + ".c", weightBytes: weightBytes, weightArrays: declarations.count),
                "name": name,
                "includes": (definitions.sorted().map { "#define \($0)" } + headers.sorted().map { "#include \"\($0)\"" })
                    .joined(separator: "\n"),
                "spelled_constants": interface.spelledConstants,
                "constants_title": interface.constantsTitle,
                "weight_bytes": "\(weightBytes)",
                "weights": declarations.isEmpty ? interface.noConstants : declarations.joined(separator: "\n\n"),
                "parameters": parameters.isEmpty ? "/* No layer takes parameters. */" : parameters.joined(separator: "\n\n"),
                "arena": interface.arenaDeclaration(staticSymbol: staticArena),
                "arena_parameter": interface.runArenaParameter,
                "run_comment": interface.runComment,
                "element": interface.elementType,
                "body": InferenceBody.indented(body),
                "entry_points": try interface.entryPoints(staticArena: staticArena),
            ])

        let files = GeneratedModel.files(name: name, header: headerText, source: sourceText, kernelHeaders: headers)
        return GeneratedModel(
            name: name, precision: precision, files: files, arenaBytes: plan.arenaBytes,
            unsharedArenaBytes: plan.unsharedBytes, weightBytes: weightBytes, weights: packer.arrays,
            inputSizes: interface.inputSizes, outputSizes: interface.outputSizes, layers: footprints,
            quantization: quantization, floatLayers: floatLayers)
    }

    /// The kernel chosen for each node (`nil` for an input) and the arena plan they run in: what
    /// `generate` writes the C from, and what a model summary reports as the arena.
    ///
    /// A kernel that can run in less scratch (`LayerKernel.scratchChoices`) is planned with its
    /// smallest first; then, one after another, each takes the largest of its sizes that keeps
    /// the arena within that plan's: the room the arena has anyway at its step, never more.
    /// Under `--optimize speed` each takes its largest, the fastest, whatever the arena.
    func kernelsAndPlan(for graph: Graph) throws -> (kernels: [(any LayerKernel)?], plan: ActivationPlan) {
        var kernels = try graph.nodes.indices.map {
            try KernelSelector.kernel(for: $0, in: graph, format: options.format, goal: options.optimize)
        }
        let precision = graph.precision
        // The int8 copies the float entry points make of the inputs and outputs.
        let staged = { (nodes: [Int]) in precision == .int8 ? nodes.map { graph.nodes[$0].outputShape.elementCount } : [] }
        let plan = { (kernels: [(any LayerKernel)?]) in
            ActivationPlan(
                graph: graph, storage: kernels.map { $0?.storage ?? .fresh },
                scratchBytes: kernels.map { $0?.scratchBytes ?? 0 }, elementBytes: precision.elementBytes,
                stagedInputBytes: staged(graph.inputs), stagedOutputBytes: staged(graph.outputs))
        }
        let flexible = kernels.indices.filter { (kernels[$0]?.scratchChoices.count ?? 0) > 1 }
        guard !flexible.isEmpty else { return (kernels, plan(kernels)) }
        if options.optimize == .speed {
            for index in flexible { kernels[index] = kernels[index].map { $0.withScratch($0.scratchChoices.last!) } }
            return (kernels, plan(kernels))
        }
        for index in flexible { kernels[index] = kernels[index].map { $0.withScratch($0.scratchChoices[0]) } }
        let arena = plan(kernels).arenaBytes
        for index in flexible {
            guard let kernel = kernels[index] else { continue }
            let choices = kernel.scratchChoices
            // The arena grows with a layer's scratch: the largest size that fits, by bisection.
            var fits = 0
            var above = choices.count
            while above - fits > 1 {
                let middle = (fits + above) / 2
                kernels[index] = kernel.withScratch(choices[middle])
                if plan(kernels).arenaBytes <= arena { fits = middle } else { above = middle }
            }
            kernels[index] = kernel.withScratch(choices[fits])
        }
        return (kernels, plan(kernels))
    }

    static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
