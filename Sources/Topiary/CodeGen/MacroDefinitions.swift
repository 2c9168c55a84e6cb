/// The `#define`s of a model header, each under its documentation comment, with the names
/// padded to one column so that the values line up.
struct MacroDefinitions {
    /// The width names are padded to; a longer name is not cut.
    let nameWidth: Int
    private(set) var lines: [String] = []

    init(nameWidth: Int) {
        self.nameWidth = nameWidth
    }

    mutating func define(_ name: String, _ value: String, _ comment: String) {
        let padded = name.padding(toLength: max(name.count, nameWidth), withPad: " ", startingAt: 0)
        lines.append("/** \(CComment.escape(comment)) */")
        lines.append("#define \(padded) \(value)")
    }

    /// `MACRO_INPUT_SIZE` and `MACRO_OUTPUT_SIZE` (of the first input and output, which the
    /// single-sample entry points take), `MACRO_ARENA_BYTES` and `MACRO_ARENA_ALIGN`: the macros
    /// every model header opens with.
    mutating func defineSizes(macro: String, graph: Graph, arena: ArenaLayout) {
        let firstIn = graph.nodes[graph.inputs[0]], firstOut = graph.nodes[graph.outputs[0]]
        define(
            "\(macro)_INPUT_SIZE", "\(firstIn.outputShape.elementCount)",
            "Elements of the\(graph.inputs.count > 1 ? " first" : "") input '\(firstIn.name)' \(CodeGenerator.shapeText(firstIn.outputShape)), flattened channels-last."
        )
        define(
            "\(macro)_OUTPUT_SIZE", "\(firstOut.outputShape.elementCount)",
            "Elements of the\(graph.outputs.count > 1 ? " first" : "") output '\(firstOut.name)' \(CodeGenerator.shapeText(firstOut.outputShape)), flattened channels-last."
        )
        define(
            "\(macro)_ARENA_BYTES", "\(arena.bytes)",
            "Arena memory every entry point needs, planned at build time: static, or the caller's for the _arena forms.")
        define(
            "\(macro)_ARENA_ALIGN", "\(ArenaLayout.alignment)",
            "Alignment in bytes the _arena entry points require of the caller's arena.")
    }

    /// `MACRO_INPUT_COUNT` and each input's `MACRO_INPUT_k_SIZE` (or the same for the outputs,
    /// `inputs` false), the macros the `_multi` entry points are sized by; `perTensor(k)` adds
    /// tensor `k`'s further macros, if any, right after its size.
    mutating func defineTensors(
        macro: String, graph: Graph, inputs: Bool, sizes: [Int], countComment: String,
        perTensor: (inout MacroDefinitions, Int) throws -> Void
    ) rethrows {
        let role = inputs ? "INPUT" : "OUTPUT", noun = inputs ? "input" : "output"
        let nodes = inputs ? graph.inputs : graph.outputs
        define("\(macro)_\(role)_COUNT", "\(nodes.count)", countComment)
        for (k, index) in nodes.enumerated() {
            define(
                "\(macro)_\(role)_\(k)_SIZE", "\(sizes[k])",
                "Elements of \(noun) \(k) '\(graph.nodes[index].name)' \(CodeGenerator.shapeText(graph.nodes[index].outputShape)).")
            try perTensor(&self, k)
        }
    }

    /// An empty line between groups of macros.
    mutating func separate() {
        lines.append("")
    }

    var text: String { lines.joined(separator: "\n") }
}
