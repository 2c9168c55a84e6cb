import Foundation

/// The `topiary inspect` view of a graph: one row per node and the totals, as a text table
/// or as JSON.
public struct ModelSummary: Codable, Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var name: String
        public var kerasClass: String
        public var op: String
        public var outputShape: [Int]
        public var parameters: Int
        public var activation: String?
        public var inputs: [String]
        /// Multiply-adds of one inference in the layer's Dense or convolution kernels, dense.
        public var multiplyAdds: Int
        /// Bytes of the layer's output as float32.
        public var activationBytes: Int

        enum CodingKeys: String, CodingKey {
            case name, op, outputShape, activation, multiplyAdds, activationBytes
            case kerasClass = "class", parameters = "params", inputs = "inbound"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(kerasClass, forKey: .kerasClass)
            try container.encode(op, forKey: .op)
            try container.encode(outputShape, forKey: .outputShape)
            try container.encode(parameters, forKey: .parameters)
            // A layer without activation says so with null rather than leaving the key out.
            try container.encode(activation, forKey: .activation)
            try container.encode(inputs, forKey: .inputs)
            try container.encode(multiplyAdds, forKey: .multiplyAdds)
            try container.encode(activationBytes, forKey: .activationBytes)
        }
    }

    public var modelName: String
    public var producer: String
    public var rows: [Row]
    public var inputShapes: [[Int]]
    public var outputShapes: [[Int]]
    public var totalParameters: Int
    /// Multiply-adds of one inference over every layer.
    public var multiplyAdds: Int
    /// The activation arena the float C plans (`NAME_ARENA_BYTES`), and what one buffer per
    /// tensor would take; `nil` when the model cannot be generated as C.
    public var arenaBytes: Int?
    public var unsharedArenaBytes: Int?

    enum CodingKeys: String, CodingKey {
        case modelName = "model", producer, rows = "layers", inputShapes = "inputs", outputShapes = "outputs"
        case totalParameters = "totalParams", multiplyAdds, arenaBytes, unsharedArenaBytes
    }

    public init(graph: Graph) {
        modelName = graph.name
        producer = graph.producer
        rows = graph.nodes.map { node in
            Row(
                name: node.name, kerasClass: node.kerasClass, op: node.op.summary, outputShape: node.outputShape,
                parameters: node.parameterCount, activation: node.fusedActivation.map(\.description),
                inputs: node.inputs.map { graph.nodes[$0].name }, multiplyAdds: Self.multiplyAdds(node),
                activationBytes: node.outputShape.elementCount * 4)
        }
        inputShapes = graph.inputs.map { graph.nodes[$0].outputShape }
        outputShapes = graph.outputs.map { graph.nodes[$0].outputShape }
        totalParameters = rows.reduce(0) { $0 + $1.parameters }
        multiplyAdds = rows.reduce(0) { $0 + $1.multiplyAdds }
        let plan = try? CodeGenerator().kernelsAndPlan(for: graph).plan
        arenaBytes = plan?.arenaBytes
        unsharedArenaBytes = plan?.unsharedBytes
    }

    /// Every kernel weight is used once per output position.
    static func multiplyAdds(_ node: Node) -> Int {
        let positions = node.outputShape.dropLast().reduce(1, *)
        return KernelRows.roles(of: node.op).reduce(0) { $0 + (node.weights[$1]?.count ?? 0) * positions }
    }

    /// Float32 bytes of all parameters, the size of the unconverted model's weights.
    public var float32Bytes: Int { totalParameters * 4 }

    /// A fixed-width table for the terminal.
    public func table() -> String {
        let header = ["Layer", "Class", "Op", "Output shape", "Params", "Activation", "MACs", "Output bytes"]
        let body = rows.map { row in
            [
                row.name.escapedForTerminal, row.kerasClass.escapedForTerminal, row.op, Self.shape(row.outputShape),
                Self.grouped(row.parameters), row.activation ?? "", Self.grouped(row.multiplyAdds),
                Self.grouped(row.activationBytes),
            ]
        }
        let widths = header.indices.map { column in
            ([header[column]] + body.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                [4, 6, 7].contains(column)
                    ? String(repeating: " ", count: widths[column] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        var lines = ["Model: \(modelName.escapedForTerminal)" + (producer.isEmpty ? "" : " (\(producer))")]
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += body.map(line)
        lines.append("")
        lines.append(
            "Total params: \(Self.grouped(totalParameters)) (\(Self.bytes(float32Bytes)) as float32), "
                + "\(Self.grouped(multiplyAdds)) multiply-adds per inference")
        if let arenaBytes, let unsharedArenaBytes {
            lines.append(
                "Activation arena of the float C: \(Self.grouped(arenaBytes)) bytes planned (\(Self.grouped(unsharedArenaBytes)) with one buffer per tensor)"
            )
        }
        lines.append(
            "Inputs: " + inputShapes.map(Self.shape).joined(separator: ", ") + "   Outputs: "
                + outputShapes.map(Self.shape).joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// The same as JSON: `model`, `producer`, `total_params`, `multiply_adds`, `arena_bytes`,
    /// `unshared_arena_bytes`, `inputs`, `outputs` and `layers` (`name`, `class`, `op`,
    /// `output_shape`, `params`, `activation`, `inbound`, `multiply_adds`, `activation_bytes`).
    public func json() throws -> String {
        try JSONReport.encode(self)
    }

    static func shape(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1024 * 1024 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.2f MiB", Double(count) / 1024 / 1024)
    }
}

extension String {
    /// Control characters shown as escapes so a hostile layer name cannot rewrite the terminal.
    var escapedForTerminal: String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                result += scalar.value < 0x100 ? String(format: "\\x%02x", scalar.value) : String(format: "\\u{%x}", scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
