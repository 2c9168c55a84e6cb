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

    /// The C type of one activation element.
    var elementType: String { quantization == nil ? "float" : "int8_t" }
    /// The arena union's view the activations are read through.
    var arenaView: String { quantization == nil ? "f32" : "s8" }
    /// The kernel that copies a computed tensor to the caller's output.
    var copyFunction: String { quantization == nil ? "tp_copy_f32" : "tp_copy_s8" }
    /// Headers every model includes: the common one, and for int8 the copy and the
    /// quantization kernels of the entry points.
    var modelHeaders: [String] {
        quantization == nil ? ["topiary.h"] : ["topiary.h", "tp_elementwise_s8.h", "tp_quantize_f32.h"]
    }

    /// Names the file-scope symbols and the entry points' locals use, which no layer may take.
    func reservedSymbols(arena: String) -> Set<String> {
        var names: Set<String> = [
            "\(name)_predict", "\(name)_predict_multi", "\(name)_run", arena, "\(name)_requires_ieee_float",
            "inputs", "outputs", "input", "output", "status",
        ]
        if quantization != nil {
            names.formUnion([
                "\(name)_predict_int8", "\(name)_predict_int8_multi", "\(name)_staging",
                "xs", "quantized_inputs", "quantized_outputs", "k",
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
        return ProvenanceComment.lines(
            file: file, source: source,
            details: [
                "Options: \(options.recorded)",
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
                 * outside the vocabulary); 2 when a required pointer is NULL.
                 * Not reentrant: all calls share one static activation arena of \(macro)_ARENA_BYTES bytes.
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
             * Return values: 0 on success; 2 when a required pointer is NULL.
             * Not reentrant: all calls share one static activation arena of \(macro)_ARENA_BYTES bytes
             * (and, for the float entry points, \(macro)_STAGING_BYTES bytes of int8 copies).
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
            macros.defineSizes(macro: macro, graph: graph, plan: plan)
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
        macros.defineSizes(macro: macro, graph: graph, plan: plan)
        macros.define(
            "\(macro)_STAGING_BYTES", "\(inputSizes.reduce(0, +) + outputSizes.reduce(0, +))",
            "Static memory for the int8 copies the float entry points make.")
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
                "int \(name)_predict_int8(const int8_t *input, int8_t *output);",
                "",
                "/**",
                " * Runs the model on one float sample: quantizes the input, runs \(name)_predict_int8's",
                " * arithmetic, dequantizes the output.",
                " *",
                " * @param input   \(macro)_INPUT_SIZE floats, flattened channels-last",
                " * @param output  receives \(macro)_OUTPUT_SIZE floats" + (graph.outputs.count > 1 ? " (the first output)" : ""),
                " * @return 0 on success, non-zero on error",
                " */",
                "int \(name)_predict(const float *input, float *output);",
                "",
            ]
        }
        lines += [
            "/** Every input and output, int8: inputs[k] holds \(macro)_INPUT_k_SIZE values; outputs[k] receives",
            " *  \(macro)_OUTPUT_k_SIZE values, or is skipped when NULL. Returns 0 on success. */",
            "int \(name)_predict_int8_multi(const int8_t *const *inputs, int8_t *const *outputs);",
            "",
            "/** Every input and output, float (quantized and dequantized around the int8 arithmetic). */",
            "int \(name)_predict_multi(const float *const *inputs, float *const *outputs);",
        ]
        return lines.joined(separator: "\n")
    }

    /// The static arena: a union so that it is aligned for any scalar, with a view per element
    /// type the kernels read (int8 models also keep int32 and float scratch in it).
    func arenaDeclaration(symbol: String) -> String {
        let summary =
            "/* \(plan.arenaBytes) bytes in \(plan.bufferCount) buffers placed by liveness; one buffer per tensor would take \(plan.unsharedBytes). */"
        guard quantization != nil else {
            guard plan.arenaBytes > 0 else {
                return "/* No arena: every tensor this model computes is read straight from its input. */"
            }
            return """
                \(summary)
                static union {
                    float f32[\(macro)_ARENA_BYTES / sizeof(float)];
                    double align;
                } \(symbol) TOPIARY_ARENA_SECTION TOPIARY_ALIGN(16);
                """
        }
        let bytes = max(plan.arenaBytes, 8)
        return """
            \(summary)
            static union {
                int8_t s8[\(bytes)];
                int32_t i32[\(bytes / 4)];
                float f32[\(bytes / 4)];
                double align;
            } \(symbol) TOPIARY_ARENA_SECTION TOPIARY_ALIGN(16);
            """
    }

    /// `NAME_predict` (single-input models) and `NAME_predict_multi`; in an int8 model also
    /// `NAME_predict_int8` and `NAME_predict_int8_multi`, which the float forms wrap.
    func entryPoints() throws -> String {
        let entry = EntryPointText(macro: macro)
        guard let quantization else {
            let multi = entry.multi("\(name)_predict_multi", element: "float", calling: "\(name)_run")
            guard !isMultiInput else { return multi }
            let single = entry.single("\(name)_predict", element: "float", outputs: graph.outputs.count, calling: "\(name)_run")
            return single + "\n\n" + multi
        }
        let inputs = graph.inputs.count, outputs = graph.outputs.count
        var text =
            entry.multi("\(name)_predict_int8_multi", element: "int8_t", calling: "\(name)_run") + """


                /* int8 copies of the inputs and outputs of the float entry points. */
                static int8_t \(name)_staging[\(macro)_STAGING_BYTES];

                int \(name)_predict_multi(const float *const *inputs, float *const *outputs)
                {
                    const int8_t *quantized_inputs[\(inputs)];
                    int8_t *quantized_outputs[\(outputs)];
                    int k, status;
                \(entry.pointerChecks)

                """
        var offset = 0
        for k in 0..<inputs {
            let q = quantization.inputs[k]
            text +=
                "    tp_quantize_f32(\(inputSizes[k]), inputs[\(k)], \(try literal(q.scale)), \(q.zeroPoint), \(name)_staging + \(offset));\n"
            text += "    quantized_inputs[\(k)] = \(name)_staging + \(offset);\n"
            offset += inputSizes[k]
        }
        var outputOffsets: [Int] = []
        for k in 0..<outputs {
            outputOffsets.append(offset)
            text += "    quantized_outputs[\(k)] = \(name)_staging + \(offset);\n"
            offset += outputSizes[k]
        }
        text += """
                status = \(name)_run(quantized_inputs, quantized_outputs);
                if (status != 0) {
                    return status;
                }

            """
        for k in 0..<outputs {
            let q = quantization.outputs[k]
            text += "    if (outputs[\(k)] != NULL) {\n"
            text +=
                "        tp_dequantize_f32(\(outputSizes[k]), \(name)_staging + \(outputOffsets[k]), \(try literal(q.scale)), \(q.zeroPoint), outputs[\(k)]);\n"
            text += "    }\n"
        }
        text += "    return 0;\n}\n"
        guard !isMultiInput else { return text }
        // The float wrapper goes through the float `_multi` form, which quantizes.
        let int8Single = entry.single("\(name)_predict_int8", element: "int8_t", outputs: outputs, calling: "\(name)_run")
        let floatSingle = entry.single("\(name)_predict", element: "float", outputs: outputs, calling: "\(name)_predict_multi")
        return text + "\n" + int8Single + "\n\n" + floatSingle + "\n"
    }

    private func literal(_ value: Float) throws -> String {
        do { return try CFloatLiteral.literal(value) } catch {
            throw CodeGenError.nonFiniteParameter(layer: graph.name, parameter: "scale")
        }
    }
}
