/// The parts of `NAME_run` that the float and the int8 generators write alike: where each
/// tensor is, the comment over each layer's call, and the final copies to the caller.
enum InferenceBody {
    /// The C expression for node `index`'s output: the caller's buffer for a model input, or a
    /// pointer into the arena through `view` (e.g. `arena->f32`), whose elements are
    /// `elementBytes` wide (the plan's offsets are in bytes).
    static func location(of index: Int, in plan: ActivationPlan, view: String, elementBytes: Int) -> String {
        switch plan.locations[index] {
        case let .input(k): return "inputs[\(k)]"
        case let .arena(offset): return "\(view) + \(offset / elementBytes)"
        }
    }

    /// The comment over a layer's call: Keras name and class, op, shapes, then `details` (the
    /// int8 path's arithmetic) and the memory use: `overlap` is the bytes from the input's start
    /// to the output's when the output overlaps the input (`ActivationPlan.overlapOffsets`).
    static func layerComment(
        _ node: Node, graph: Graph, storage: OutputStorage, inPlace: Bool, overlap: Int? = nil, details: String = ""
    ) -> String {
        let shapes = node.inputs.map { CodeGenerator.shapeText(graph.nodes[$0].outputShape) }.joined(separator: " + ")
        var text = "\(node.name) (\(node.kerasClass)): \(node.op.summary)"
        // An Activation layer's summary already names its function.
        if let activation = node.fusedActivation, activation != .linear, !isActivationOp(node.op) {
            text += " + \(activation)"
        }
        text += ", \(shapes) -> \(CodeGenerator.shapeText(node.outputShape))" + details
        switch storage {
        case .alias: text += "; no code: the output is the input's memory"
        case .inPlace where inPlace: text += "; in place"
        case .overlapping where overlap == 0: text += "; over its input, from the input's first byte"
        case .overlapping where overlap != nil: text += "; over its input, starting \(-overlap!) bytes before it"
        default: break
        }
        return CComment.block(text)
    }

    /// The statements that copy each model output to the caller with `copy` (`tp_copy_f32`,
    /// `tp_copy_s8`), skipping the outputs the caller passed as NULL.
    static func outputCopies(_ graph: Graph, copy: String, location: (Int) -> String) -> [String] {
        var lines = ["", "/* Model outputs. */"]
        for (k, output) in graph.outputs.enumerated() {
            lines.append("if (outputs[\(k)] != NULL) {")
            lines.append("    \(copy)(\(graph.nodes[output].outputShape.elementCount), \(location(output)), outputs[\(k)]);")
            lines.append("}")
        }
        return lines
    }

    /// The profiling hook after node `index`'s code, or at the start of the run when `index`
    /// is nil: `TOPIARY_PROFILE_MARK` (topiary.h) is empty unless a profiling build defines it.
    static func profileMark(after index: Int?) -> String {
        "TOPIARY_PROFILE_MARK(\(index ?? -1));"
    }

    /// `lines` as the template's function body: indented one level, blank lines left empty.
    static func indented(_ lines: [String]) -> String {
        lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    private static func isActivationOp(_ op: Op) -> Bool {
        if case .activation = op { return true }
        return false
    }
}
