/// The parts of the generated files that describe the model to its user: the header comment
/// (provenance), the size macros, the prototypes, the arena and the public entry points.
///
/// Every name that came from the model file reaches C only inside escaped comments
/// (`CComment`); identifiers come from the validated C name.
struct InterfaceText {
    let name: String
    let macro: String
    let graph: Graph
    let plan: ActivationPlan
    let weightBytes: Int
    let weightArrays: Int
    let options: ConversionOptions
    let source: SourceDescription?

    private var isMultiInput: Bool { graph.inputs.count > 1 }

    /// The lines of the opening comment, each starting ` * `.
    func provenance(file: String) -> String {
        let producer = graph.producer.isEmpty ? "" : " (\(graph.producer))"
        return ProvenanceComment.lines(file: file, source: source, details: [
            "Options: \(options.recorded)",
            "Keras model '\(graph.name)'\(producer): \(graph.nodes.count) nodes, \(graph.parameterCount) parameters",
            "Inputs: " + graph.inputs.map { "\(graph.nodes[$0].name) \(CodeGenerator.shapeText(graph.nodes[$0].outputShape))" }.joined(separator: ", "),
            "Outputs: " + graph.outputs.map { "\(graph.nodes[$0].name) \(CodeGenerator.shapeText(graph.nodes[$0].outputShape))" }.joined(separator: ", "),
            "Weights: \(weightBytes) bytes in \(weightArrays) arrays (dense float32)",
        ], plan: plan)
    }

    /// The `#define`s of the public header.
    func macros(inputSizes: [Int], outputSizes: [Int]) -> String {
        var macros = MacroDefinitions(nameWidth: macro.count + 20)
        macros.defineSizes(macro: macro, graph: graph, plan: plan)
        macros.define("\(macro)_WEIGHT_BYTES", "\(weightBytes)", "Flash taken by the weight arrays.")
        macros.separate()
        macros.defineTensors(macro: macro, graph: graph, inputs: true, sizes: inputSizes,
                             countComment: "Number of model inputs (for \(name)_predict_multi).") { _, _ in }
        macros.defineTensors(macro: macro, graph: graph, inputs: false, sizes: outputSizes,
                             countComment: "Number of model outputs (for \(name)_predict_multi).") { _, _ in }
        return macros.text
    }

    /// The prototypes of the public header, with their documentation.
    func prototypes() -> String {
        var lines: [String] = []
        if isMultiInput {
            lines += [
                "/* This model has \(graph.inputs.count) inputs, so it has no single-input \(name)_predict;",
                " * call \(name)_predict_multi. */",
            ]
        } else {
            lines += [
                "/**",
                " * Runs the model on one sample.",
                " *",
                " * @param input   \(macro)_INPUT_SIZE floats, flattened channels-last",
                " * @param output  receives \(macro)_OUTPUT_SIZE floats" + (graph.outputs.count > 1 ? " (the first output; the others are discarded)" : ""),
                " * @return 0 on success, non-zero on error (see the top of this file)",
                " */",
                "int \(name)_predict(const float *input, float *output);",
                "",
            ]
        }
        lines += [
            "/**",
            " * Runs the model on one sample, with every input and output.",
            " *",
            " * @param inputs   \(macro)_INPUT_COUNT pointers; inputs[k] holds \(macro)_INPUT_k_SIZE floats",
            " * @param outputs  \(macro)_OUTPUT_COUNT pointers; outputs[k] receives \(macro)_OUTPUT_k_SIZE floats,",
            " *                 or is skipped when NULL",
            " * @return 0 on success, non-zero on error (see the top of this file)",
            " */",
            "int \(name)_predict_multi(const float *const *inputs, float *const *outputs);",
        ]
        return lines.joined(separator: "\n")
    }

    /// The static arena: a union so that it is aligned for any scalar, read as floats.
    func arenaDeclaration(symbol: String) -> String {
        guard plan.arenaBytes > 0 else {
            return "/* No arena: every tensor this model computes is read straight from its input. */"
        }
        return """
            /* \(plan.arenaBytes) bytes in \(plan.bufferCount) buffers placed by liveness; one buffer per tensor would take \(plan.unsharedBytes). */
            static union {
                float f32[\(macro)_ARENA_BYTES / sizeof(float)];
                double align;
            } \(symbol) TOPIARY_ARENA_SECTION TOPIARY_ALIGN(16);
            """
    }

    /// `NAME_predict` (single-input models) and `NAME_predict_multi`.
    func entryPoints() -> String {
        let entry = EntryPointText(macro: macro)
        let multi = entry.multi("\(name)_predict_multi", element: "float", calling: "\(name)_run")
        guard !isMultiInput else { return multi }
        let single = entry.single("\(name)_predict", element: "float", outputs: graph.outputs.count, calling: "\(name)_run")
        return single + "\n\n" + multi
    }
}
