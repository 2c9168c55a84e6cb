/// The parts of the generated files that describe the model to its user: the header comment
/// (provenance and usage), the size macros, the prototypes, the arena and the public entry
/// points, for a float model and for an int8 one (which adds `NAME_predict_int8`, the input and
/// output quantization, and float entry points that quantize around the integer arithmetic).
///
/// Every name that came from the model file reaches C only inside escaped comments
/// (`CComment`); identifiers come from the validated C name.
struct InterfaceText {
    let name: String
    let macro: String
    let graph: Graph
    let plan: ActivationPlan
    let options: ConversionOptions
    let source: SourceDescription?
    /// The int8 encoding of the inputs and outputs; `nil` for a float model.
    let quantization: ModelQuantization?

    var inputSizes: [Int] { graph.inputs.map { graph.nodes[$0].outputShape.elementCount } }
    var outputSizes: [Int] { graph.outputs.map { graph.nodes[$0].outputShape.elementCount } }
    private var isMultiInput: Bool { graph.inputs.count > 1 }

    /// The activations and, in an int8 model, the float entry points' int8 copies.
    var arena: ArenaLayout {
        ArenaLayout(plannedBytes: plan.arenaBytes, stagingBytes: plan.stagedBytes)
    }
    /// The C type the inference function sees the arena through.
    var arenaViewsType: String { "\(name)_arena_views" }
    /// The parameter `NAME_run` takes the arena by: typed when the model has an arena.
    var runArenaParameter: String { arena.bytes > 0 ? "\(arenaViewsType) *arena" : "void *arena" }
    /// The pointer expression the layers reach the arena through.
    static let arenaPointer = "arena"

    /// The C type of one activation element.
    var elementType: String { quantization == nil ? "float" : "int8_t" }
    /// The arena union's view the activations are read through, as `arena->view`.
    var arenaView: String { quantization == nil ? "f32" : "s8" }
    /// The kernel that copies a computed tensor to the caller's output.
    var copyFunction: String { quantization == nil ? "tp_copy_f32" : "tp_copy_s8" }
    /// Headers every model includes: the common one, and for int8 the copy and the
    /// quantization kernels of the entry points.
    var modelHeaders: [String] {
        quantization == nil ? ["topiary.h"] : ["topiary.h", "tp_elementwise_s8.h", "tp_quantize_f32.h"]
    }

    /// Names the file-scope symbols and the entry points' locals use, which no layer may take.
    func reservedSymbols(staticArena: String) -> Set<String> {
        var names: Set<String> = [
            "\(name)_predict", "\(name)_predict_multi", "\(name)_predict_arena", "\(name)_predict_multi_arena",
            "\(name)_run", staticArena, arenaViewsType, "\(name)_requires_ieee_float",
            "inputs", "outputs", "input", "output", "status", "k", Self.arenaPointer,
        ]
        if quantization != nil {
            names.formUnion([
                "\(name)_predict_int8", "\(name)_predict_int8_multi", "\(name)_predict_int8_arena",
                "\(name)_predict_int8_multi_arena", "xs", "quantized_inputs", "quantized_outputs",
            ])
        }
        return names
    }

    /// What the comment over a layer's call adds in an int8 model: the output's quantization
    /// and whether the layer is computed in float.
    func arithmeticText(_ node: Node) -> String {
        guard quantization != nil else { return "" }
        var text = ""
        if let q = node.quantization?.output { text += ", int8 scale \(q.scale) zero point \(q.zeroPoint)" }
        if case .float = node.quantization?.arithmetic { text += "; computed in float" }
        return text
    }

    /// The lines of the opening comment, each starting ` * `.
    func provenance(file: String, weightBytes: Int, weightArrays: Int) -> String {
        let producer = graph.producer.isEmpty ? "" : " (\(graph.producer))"
        func tensors(_ indices: [Int], _ encodings: [QuantizationParameters]?) -> String {
            indices.enumerated().map { k, i in
                let encoding = encodings.map { " scale \($0[k].scale) zero point \($0[k].zeroPoint)" } ?? ""
                return "\(graph.nodes[i].name) \(CodeGenerator.shapeText(graph.nodes[i].outputShape))\(encoding)"
            }.joined(separator: ", ")
        }
        let model =
            quantization == nil
            ? "\(graph.nodes.count) nodes, \(graph.parameterCount) parameters"
            : "\(graph.nodes.count) nodes after compression, int8 (TensorFlow Lite scheme, gemmlowp rounding)"
        let constants =
            quantization == nil
            ? "Weights: \(weightBytes) bytes in \(weightArrays) arrays (dense float32)"
            : "Constant data: \(weightBytes) bytes in \(weightArrays) arrays (weights, indices, biases, multipliers, tables)"
        // The core, when one was named: the flags the size figures and profiling build with.
        let target = options.target.map { ["Target: \($0.rawValue) (arm-none-eabi-gcc \($0.cpuFlags.joined(separator: " ")))"] } ?? []
        return ProvenanceComment.lines(
            file: file, source: source,
            details: ["Options: \(options.recorded)"] + target + [
                "Keras model '\(graph.name)'\(producer): \(model)",
                "Inputs: " + tensors(graph.inputs, quantization?.inputs),
                "Outputs: " + tensors(graph.outputs, quantization?.outputs),
                constants,
            ], plan: plan)
    }

    /// How to call the model and what it returns, for the header comment.
    var usage: String {
        guard quantization != nil else {
            return """
                 *
                 * Usage:
                 *     float input[\(macro)_INPUT_SIZE], output[\(macro)_OUTPUT_SIZE];
                 *     ... fill input, flattened channels-last ...
                 *     if (\(name)_predict(input, output) != 0) { ... handle the error ... }
                 *
                 * Return values: 0 on success; 1 when an input value cannot be used (an embedding id
                 * outside the vocabulary); 2 when a required pointer is NULL; 3 when the arena is not
                 * aligned to \(macro)_ARENA_ALIGN bytes.
                \(arenaUsage(entry: "\(name)_predict", element: "float"))
                """
        }
        return """
             *
             * Usage, integers only (no floating point at run time):
             *     int8_t input[\(macro)_INPUT_SIZE], output[\(macro)_OUTPUT_SIZE];
             *     ... input[i] = round(x[i] / \(macro)_INPUT_SCALE) + \(macro)_INPUT_ZERO_POINT, clamped ...
             *     if (\(name)_predict_int8(input, output) != 0) { ... handle the error ... }
             *     ... y[i] = \(macro)_OUTPUT_SCALE * (output[i] - \(macro)_OUTPUT_ZERO_POINT) ...
             * or with floats, which does both conversions:
             *     float x[\(macro)_INPUT_SIZE], y[\(macro)_OUTPUT_SIZE];
             *     if (\(name)_predict(x, y) != 0) { ... }
             *
             * Return values: 0 on success; 2 when a required pointer is NULL; 3 when the arena is not
             * aligned to \(macro)_ARENA_ALIGN bytes.
            \(arenaUsage(entry: "\(name)_predict_int8", element: "int8_t"))
            """
    }

    /// The usage comment's part on memory: the static arena, and the caller-owned one of the
    /// `_arena` entry points, shown for `entry`.
    private func arenaUsage(entry: String, element: String) -> String {
        let staging =
            quantization == nil
            ? ""
            : "\n * (\(macro)_STAGING_BYTES of them hold the int8 copies the float entry points make)"
        return """
             *
             * Memory: the entry points above share one static arena of \(macro)_ARENA_BYTES bytes\(staging),
             * so they are not reentrant. Each has an _arena form that takes the caller's arena instead
             * and keeps no state of its own: calls on separate arenas may run at once (one per thread
             * or per instance), and models called one after another may share one buffer of the
             * largest of their ARENA_BYTES. The arena holds nothing between calls.
             *     static float memory[(\(macro)_ARENA_BYTES + 3) / 4];   (aligned to \(macro)_ARENA_ALIGN)
             *     \(element) input[\(macro)_INPUT_SIZE], output[\(macro)_OUTPUT_SIZE];
             *     if (\(entry)_arena(memory, input, output) != 0) { ... }
            """
    }

    /// System headers the public header needs (`int8_t` in the int8 prototypes).
    var systemIncludes: String { quantization == nil ? "" : "\n#include <stdint.h>\n" }

    /// What the IEEE-754 check in `NAME.c` guards: the float literals of the constants.
    var spelledConstants: String { quantization == nil ? "weights" : "scales" }
    /// The title over the constant arrays.
    var constantsTitle: String { quantization == nil ? "Weights" : "Weights, indices, biases and tables" }
    /// Said instead of the constant arrays when there are none.
    var noConstants: String {
        quantization == nil ? "/* This model has no weights. */" : "/* This model has no constant arrays. */"
    }
    /// The comment over `NAME_run`.
    var runComment: String {
        quantization == nil
            ? """
            /* Runs every layer in order. inputs[k] holds model input k; outputs[k] receives model
             * output k, or is skipped when NULL. */
            """
            : """
            /* Runs every layer in order on int8 tensors. inputs[k] holds model input k; outputs[k]
             * receives model output k, or is skipped when NULL. */
            """
    }

    /// The `#define`s of the public header.
    func macros(weightBytes: Int) throws -> String {
        guard let quantization else {
            var macros = MacroDefinitions(nameWidth: macro.count + 20)
            macros.defineSizes(macro: macro, graph: graph, arena: arena)
            macros.define("\(macro)_WEIGHT_BYTES", "\(weightBytes)", "Flash taken by the weight arrays.")
            macros.separate()
            macros.defineTensors(
                macro: macro, graph: graph, inputs: true, sizes: inputSizes,
                countComment: "Number of model inputs (for \(name)_predict_multi)."
            ) { _, _ in }
            macros.defineTensors(
                macro: macro, graph: graph, inputs: false, sizes: outputSizes,
                countComment: "Number of model outputs (for \(name)_predict_multi)."
            ) { _, _ in }
            return macros.text
        }
        var macros = MacroDefinitions(nameWidth: macro.count + 24)
        func float(_ value: Float) throws -> String { "(" + (try literal(value)) + ")" }
        let inputs = quantization.inputs, outputs = quantization.outputs
        macros.defineSizes(macro: macro, graph: graph, arena: arena)
        macros.define(
            "\(macro)_STAGING_BYTES", "\(arena.stagingBytes)",
            "Arena bytes the int8 copies the float entry points make take, planned with the activations.")
        macros.define("\(macro)_WEIGHT_BYTES", "\(weightBytes)", "Flash taken by the constant arrays.")
        macros.separate()
        macros.define("\(macro)_INPUT_SCALE", try float(inputs[0].scale), "Input real value = scale * (q - zero point).")
        macros.define("\(macro)_INPUT_ZERO_POINT", "(\(inputs[0].zeroPoint))", "Input int8 code of the real value 0.")
        macros.define("\(macro)_OUTPUT_SCALE", try float(outputs[0].scale), "Output real value = scale * (q - zero point).")
        macros.define("\(macro)_OUTPUT_ZERO_POINT", "(\(outputs[0].zeroPoint))", "Output int8 code of the real value 0.")
        macros.separate()
        try macros.defineTensors(macro: macro, graph: graph, inputs: true, sizes: inputSizes, countComment: "Number of model inputs.") {
            m, k in
            m.define("\(macro)_INPUT_\(k)_SCALE", try float(inputs[k].scale), "Scale of input \(k).")
            m.define("\(macro)_INPUT_\(k)_ZERO_POINT", "(\(inputs[k].zeroPoint))", "Zero point of input \(k).")
        }
        try macros.defineTensors(macro: macro, graph: graph, inputs: false, sizes: outputSizes, countComment: "Number of model outputs.") {
            m, k in
            m.define("\(macro)_OUTPUT_\(k)_SCALE", try float(outputs[k].scale), "Scale of output \(k).")
            m.define("\(macro)_OUTPUT_\(k)_ZERO_POINT", "(\(outputs[k].zeroPoint))", "Zero point of output \(k).")
        }
        return macros.text
    }

    /// The prototypes of the public header, with their documentation.
    func prototypes() -> String {
        quantization == nil ? floatPrototypes() : int8Prototypes()
    }

    private func floatPrototypes() -> String {
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
                " * @param output  receives \(macro)_OUTPUT_SIZE floats"
                    + (graph.outputs.count > 1 ? " (the first output; the others are discarded)" : ""),
                " * @return 0 on success, non-zero on error (see the top of this file)",
                " */",
                prototypeAndArenaForm("\(name)_predict", "const float *input, float *output"),
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
            prototypeAndArenaForm("\(name)_predict_multi", "const float *const *inputs, float *const *outputs"),
        ]
        return lines.joined(separator: "\n")
    }

    /// The prototype of `function` taking `parameters`, then of its `_arena` form, which takes
    /// the caller's arena first.
    private func prototypeAndArenaForm(_ function: String, _ parameters: String) -> String {
        ["int \(function)(\(parameters));", "", arenaFormComment(function), "int \(function)_arena(void *arena, \(parameters));"]
            .joined(separator: "\n")
    }

    /// The comment over an `_arena` prototype, which says how it differs from `function`.
    private func arenaFormComment(_ function: String) -> String {
        let null = arena.bytes > 0 ? "" : " (this model needs none: it may be NULL)"
        return """
            /** \(function) on the caller's arena: \(macro)_ARENA_BYTES bytes aligned to \(macro)_ARENA_ALIGN\(null).
             *  Reentrant; returns TP_ERROR_ARENA_ALIGNMENT (3) for a misaligned arena. */
            """
    }

    private func int8Prototypes() -> String {
        var lines: [String] = []
        if isMultiInput {
            lines += [
                "/* This model has \(graph.inputs.count) inputs, so it has no single-input \(name)_predict_int8 or",
                " * \(name)_predict; call the _multi forms. */", "",
            ]
        } else {
            lines += [
                "/**",
                " * Runs the model on one int8 sample, with integer arithmetic only.",
                " *",
                " * @param input   \(macro)_INPUT_SIZE int8 values, quantized with \(macro)_INPUT_SCALE and _ZERO_POINT",
                " * @param output  receives \(macro)_OUTPUT_SIZE int8 values (scale \(macro)_OUTPUT_SCALE)"
                    + (graph.outputs.count > 1 ? "; the first output only" : ""),
                " * @return 0 on success, non-zero on error",
                " */",
                prototypeAndArenaForm("\(name)_predict_int8", "const int8_t *input, int8_t *output"),
                "",
                "/**",
                " * Runs the model on one float sample: quantizes the input, runs \(name)_predict_int8's",
                " * arithmetic, dequantizes the output.",
                " *",
                " * @param input   \(macro)_INPUT_SIZE floats, flattened channels-last",
                " * @param output  receives \(macro)_OUTPUT_SIZE floats" + (graph.outputs.count > 1 ? " (the first output)" : ""),
                " * @return 0 on success, non-zero on error",
                " */",
                prototypeAndArenaForm("\(name)_predict", "const float *input, float *output"),
                "",
            ]
        }
        lines += [
            "/** Every input and output, int8: inputs[k] holds \(macro)_INPUT_k_SIZE values; outputs[k] receives",
            " *  \(macro)_OUTPUT_k_SIZE values, or is skipped when NULL. Returns 0 on success. */",
            prototypeAndArenaForm("\(name)_predict_int8_multi", "const int8_t *const *inputs, int8_t *const *outputs"),
            "",
            "/** Every input and output, float (quantized and dequantized around the int8 arithmetic). */",
            prototypeAndArenaForm("\(name)_predict_multi", "const float *const *inputs, float *const *outputs"),
        ]
        return lines.joined(separator: "\n")
    }

    /// The union the inference function sees the arena through, with a view per element type
    /// the kernels read (int8 models also keep int32 and float scratch in it), and the static
    /// arena of the entry points without `_arena`.
    func arenaDeclaration(staticSymbol: String) -> String {
        guard arena.bytes > 0 else {
            return "/* No arena: every tensor this model computes is read straight from its input. */"
        }
        var summary =
            "/* \(plan.arenaBytes) bytes in \(plan.bufferCount) buffers placed by liveness; one buffer per tensor would take \(plan.unsharedBytes)."
        // Layer names stay in the layers' own comments, which make any name safe inside one.
        let overlapping = plan.overlapOffsets.filter { $0 != nil }.count
        if overlapping > 0 {
            summary +=
                "\n * \(overlapping) layer\(overlapping == 1 ? "" : "s") write\(overlapping == 1 ? "s" : "") the output over the input consumed, as far as"
                + "\n * the kernel's order of reads and writes allows (\"over its input\" in the comment over the call)."
        }
        let views: [String]
        if quantization == nil {
            views = ["float f32[\(arena.bytes / 4)];"]
        } else {
            summary += "\n * They include the int8 copies the float entry points make of the inputs and outputs."
            views = ["int8_t s8[\(arena.bytes)];", "int32_t i32[\(arena.bytes / 4)];", "float f32[\(arena.bytes / 4)];"]
        }
        return """
            \(summary) */
            typedef union {
            \(views.map { "    " + $0 }.joined(separator: "\n"))
            } \(arenaViewsType);

            /* The arena of the entry points without _arena. */
            static \(arenaViewsType) \(staticSymbol) TOPIARY_ARENA_SECTION TOPIARY_ALIGN(16);
            """
    }

    /// The `_arena` entry points, then the ones that call them with the static arena:
    /// `NAME_predict` (single-input models) and `NAME_predict_multi`; in an int8 model also
    /// `NAME_predict_int8` and `NAME_predict_int8_multi`, which the float forms wrap.
    func entryPoints(staticArena: String) throws -> String {
        let entry = EntryPointText(macro: macro, usesArena: arena.bytes > 0)
        let staticAddress = arena.bytes > 0 ? "&\(staticArena)" : "NULL"
        let inputs = graph.inputs.count, outputs = graph.outputs.count
        func wrappers(element: String, infix: String) -> [String] {
            var functions = [
                entry.staticWrapper(
                    "\(name)_predict\(infix)_multi",
                    parameters: [("const \(element) *const *", "inputs"), ("\(element) *const *", "outputs")],
                    arena: staticAddress, calling: "\(name)_predict\(infix)_multi_arena")
            ]
            if !isMultiInput {
                functions.append(
                    entry.staticWrapper(
                        "\(name)_predict\(infix)", parameters: [("const \(element) *", "input"), ("\(element) *", "output")],
                        arena: staticAddress, calling: "\(name)_predict\(infix)_arena"))
            }
            return functions
        }
        func arenaForms(element: String, infix: String, multi: String) -> [String] {
            var functions = [multi]
            if !isMultiInput {
                functions.append(
                    entry.single(
                        "\(name)_predict\(infix)_arena", element: element, outputs: outputs,
                        calling: "\(name)_predict\(infix)_multi_arena"))
            }
            return functions
        }
        guard let quantization else {
            let multi = entry.multi("\(name)_predict_multi_arena", element: "float", calling: "\(name)_run")
            return (arenaForms(element: "float", infix: "", multi: multi) + wrappers(element: "float", infix: ""))
                .joined(separator: "\n\n")
        }
        var floatMulti = """
            \(EntryPointText.outOfLine)int \(name)_predict_multi_arena(void *arena, const float *const *inputs, float *const *outputs)
            {
                const int8_t *quantized_inputs[\(inputs)];
                int8_t *quantized_outputs[\(outputs)];
                int k, status;
            \(entry.arenaChecks)\(entry.pointerChecks)

                /* The int8 copies of the inputs and outputs, where the plan put them. */

            """
        for k in 0..<inputs {
            let q = quantization.inputs[k], offset = plan.stagedInputOffsets[k]
            floatMulti +=
                "    tp_quantize_f32(\(inputSizes[k]), inputs[\(k)], \(try literal(q.scale)), \(q.zeroPoint), (int8_t *)arena + \(offset));\n"
            floatMulti += "    quantized_inputs[\(k)] = (int8_t *)arena + \(offset);\n"
        }
        let outputOffsets = plan.stagedOutputOffsets
        for k in 0..<outputs {
            floatMulti += "    quantized_outputs[\(k)] = (int8_t *)arena + \(outputOffsets[k]);\n"
        }
        floatMulti += """
                status = \(name)_run(arena, quantized_inputs, quantized_outputs);
                if (status != 0) {
                    return status;
                }

            """
        for k in 0..<outputs {
            let q = quantization.outputs[k]
            floatMulti += "    if (outputs[\(k)] != NULL) {\n"
            floatMulti +=
                "        tp_dequantize_f32(\(outputSizes[k]), (int8_t *)arena + \(outputOffsets[k]), \(try literal(q.scale)), \(q.zeroPoint), outputs[\(k)]);\n"
            floatMulti += "    }\n"
        }
        floatMulti += "    return 0;\n}"
        let int8Multi = entry.multi("\(name)_predict_int8_multi_arena", element: "int8_t", calling: "\(name)_run")
        // The float forms go through the float `_multi_arena` form, which quantizes.
        let functions =
            arenaForms(element: "int8_t", infix: "_int8", multi: int8Multi) + arenaForms(element: "float", infix: "", multi: floatMulti)
            + wrappers(element: "int8_t", infix: "_int8") + wrappers(element: "float", infix: "")
        return functions.joined(separator: "\n\n")
    }

    private func literal(_ value: Float) throws -> String {
        do { return try CFloatLiteral.literal(value) } catch {
            throw CodeGenError.nonFiniteParameter(layer: graph.name, parameter: "scale")
        }
    }
}
