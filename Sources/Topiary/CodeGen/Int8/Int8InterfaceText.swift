/// The parts of an int8 model's files that describe it to its user: the opening comment,
/// the macros (sizes, arena, and the input and output quantization), the prototypes and the
/// entry points (`NAME_predict_int8`, `NAME_predict_int8_multi`, and the float wrappers
/// `NAME_predict`, `NAME_predict_multi`).
struct Int8InterfaceText {
    let name: String
    let macro: String
    let graph: Graph
    let plan: ActivationPlan
    let weightBytes: Int
    let weightArrays: Int
    let options: ConversionOptions
    let compression: String
    let source: SourceDescription?
    let inputQuantization: [QuantizationParameters]
    let outputQuantization: [QuantizationParameters]

    var inputSizes: [Int] { graph.inputs.map { graph.nodes[$0].outputShape.elementCount } }
    var outputSizes: [Int] { graph.outputs.map { graph.nodes[$0].outputShape.elementCount } }
    private var isMultiInput: Bool { graph.inputs.count > 1 }

    func provenance(file: String) -> String {
        let producer = graph.producer.isEmpty ? "" : " (\(graph.producer))"
        return ProvenanceComment.lines(file: file, source: source, details: [
            "Options: " + (compression.isEmpty ? options.recorded
                           : options.recorded == "(defaults)" ? compression : "\(options.recorded) \(compression)"),
            "Keras model '\(graph.name)'\(producer): \(graph.nodes.count) nodes after compression, int8 (TensorFlow Lite scheme, gemmlowp rounding)",
            "Inputs: " + graph.inputs.enumerated().map { k, i in
                "\(graph.nodes[i].name) \(CodeGenerator.shapeText(graph.nodes[i].outputShape)) scale \(inputQuantization[k].scale) zero point \(inputQuantization[k].zeroPoint)"
            }.joined(separator: ", "),
            "Outputs: " + graph.outputs.enumerated().map { k, i in
                "\(graph.nodes[i].name) \(CodeGenerator.shapeText(graph.nodes[i].outputShape)) scale \(outputQuantization[k].scale) zero point \(outputQuantization[k].zeroPoint)"
            }.joined(separator: ", "),
            "Constant data: \(weightBytes) bytes in \(weightArrays) arrays (weights, indices, biases, multipliers, tables)",
        ], plan: plan)
    }

    func macros() throws -> String {
        var macros = MacroDefinitions(nameWidth: macro.count + 24)
        func float(_ value: Float) throws -> String {
            do { return "(" + (try CFloatLiteral.literal(value)) + ")" } catch {
                throw CodeGenError.nonFiniteParameter(layer: graph.name, parameter: "scale")
            }
        }
        macros.defineSizes(macro: macro, graph: graph, plan: plan)
        macros.define("\(macro)_STAGING_BYTES", "\(inputSizes.reduce(0, +) + outputSizes.reduce(0, +))",
                      "Static memory for the int8 copies the float entry points make.")
        macros.define("\(macro)_WEIGHT_BYTES", "\(weightBytes)", "Flash taken by the constant arrays.")
        macros.separate()
        macros.define("\(macro)_INPUT_SCALE", try float(inputQuantization[0].scale), "Input real value = scale * (q - zero point).")
        macros.define("\(macro)_INPUT_ZERO_POINT", "(\(inputQuantization[0].zeroPoint))", "Input int8 code of the real value 0.")
        macros.define("\(macro)_OUTPUT_SCALE", try float(outputQuantization[0].scale), "Output real value = scale * (q - zero point).")
        macros.define("\(macro)_OUTPUT_ZERO_POINT", "(\(outputQuantization[0].zeroPoint))", "Output int8 code of the real value 0.")
        macros.separate()
        try macros.defineTensors(macro: macro, graph: graph, inputs: true, sizes: inputSizes, countComment: "Number of model inputs.") { m, k in
            m.define("\(macro)_INPUT_\(k)_SCALE", try float(inputQuantization[k].scale), "Scale of input \(k).")
            m.define("\(macro)_INPUT_\(k)_ZERO_POINT", "(\(inputQuantization[k].zeroPoint))", "Zero point of input \(k).")
        }
        try macros.defineTensors(macro: macro, graph: graph, inputs: false, sizes: outputSizes, countComment: "Number of model outputs.") { m, k in
            m.define("\(macro)_OUTPUT_\(k)_SCALE", try float(outputQuantization[k].scale), "Scale of output \(k).")
            m.define("\(macro)_OUTPUT_\(k)_ZERO_POINT", "(\(outputQuantization[k].zeroPoint))", "Zero point of output \(k).")
        }
        return macros.text
    }

    func prototypes() -> String {
        var lines: [String] = []
        if isMultiInput {
            lines += ["/* This model has \(graph.inputs.count) inputs, so it has no single-input \(name)_predict_int8 or",
                      " * \(name)_predict; call the _multi forms. */", ""]
        } else {
            lines += [
                "/**",
                " * Runs the model on one int8 sample, with integer arithmetic only.",
                " *",
                " * @param input   \(macro)_INPUT_SIZE int8 values, quantized with \(macro)_INPUT_SCALE and _ZERO_POINT",
                " * @param output  receives \(macro)_OUTPUT_SIZE int8 values (scale \(macro)_OUTPUT_SCALE)" + (graph.outputs.count > 1 ? "; the first output only" : ""),
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

    func arenaDeclaration(symbol: String) -> String {
        let bytes = max(plan.arenaBytes, 8)
        return """
            /* \(plan.arenaBytes) bytes in \(plan.bufferCount) buffers placed by liveness; one buffer per tensor would take \(plan.unsharedBytes). */
            static union {
                int8_t s8[\(bytes)];
                int32_t i32[\(bytes / 4)];
                float f32[\(bytes / 4)];
                double align;
            } \(symbol) TOPIARY_ARENA_SECTION TOPIARY_ALIGN(16);
            """
    }

    func entryPoints() throws -> String {
        let inputs = graph.inputs.count, outputs = graph.outputs.count
        let entry = EntryPointText(macro: macro)
        var text = entry.multi("\(name)_predict_int8_multi", element: "int8_t", calling: "\(name)_run") + """


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
            let q = inputQuantization[k]
            text += "    tp_quantize_f32(\(inputSizes[k]), inputs[\(k)], \(try literal(q.scale)), \(q.zeroPoint), \(name)_staging + \(offset));\n"
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
            let q = outputQuantization[k]
            text += "    if (outputs[\(k)] != NULL) {\n"
            text += "        tp_dequantize_f32(\(outputSizes[k]), \(name)_staging + \(outputOffsets[k]), \(try literal(q.scale)), \(q.zeroPoint), outputs[\(k)]);\n"
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
