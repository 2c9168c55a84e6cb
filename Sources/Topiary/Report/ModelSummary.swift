import Foundation

/// The `topiary inspect` view of a graph: one row per node and the totals, as a text table
/// or as JSON.
public struct ModelSummary: Sendable {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var kerasClass: String
        public var op: String
        public var outputShape: [Int]
        public var parameters: Int
        public var activation: String?
        public var inputs: [String]
    }

    public var modelName: String
    public var producer: String
    public var rows: [Row]
    public var inputShapes: [[Int]]
    public var outputShapes: [[Int]]

    public init(graph: Graph) {
        modelName = graph.name
        producer = graph.producer
        rows = graph.nodes.map { node in
            Row(
                name: node.name, kerasClass: node.kerasClass, op: node.op.summary, outputShape: node.outputShape,
                parameters: node.parameterCount, activation: node.fusedActivation.map(\.description),
                inputs: node.inputs.map { graph.nodes[$0].name })
        }
        inputShapes = graph.inputs.map { graph.nodes[$0].outputShape }
        outputShapes = graph.outputs.map { graph.nodes[$0].outputShape }
    }

    public var totalParameters: Int { rows.reduce(0) { $0 + $1.parameters } }

    /// Float32 bytes of all parameters, the size of the unconverted model's weights.
    public var float32Bytes: Int { totalParameters * 4 }

    /// A fixed-width table for the terminal.
    public func table() -> String {
        let header = ["Layer", "Class", "Op", "Output shape", "Params", "Activation"]
        let body = rows.map { row in
            [
                row.name.escapedForTerminal, row.kerasClass.escapedForTerminal, row.op, Self.shape(row.outputShape),
                Self.grouped(row.parameters), row.activation ?? "",
            ]
        }
        let widths = header.indices.map { column in
            ([header[column]] + body.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 4
                    ? String(repeating: " ", count: widths[column] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        var lines = ["Model: \(modelName.escapedForTerminal)" + (producer.isEmpty ? "" : " (\(producer))")]
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += body.map(line)
        lines.append("")
        lines.append("Total params: \(Self.grouped(totalParameters)) (\(Self.bytes(float32Bytes)) as float32)")
        lines.append(
            "Inputs: " + inputShapes.map(Self.shape).joined(separator: ", ") + "   Outputs: "
                + outputShapes.map(Self.shape).joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// JSON with `model`, `total_params`, `inputs`, `outputs` and `layers`
    /// (`name`, `class`, `op`, `output_shape`, `params`, `activation`, `inbound`), keys sorted.
    public func json() -> String {
        let layers: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [
                "name": row.name, "class": row.kerasClass, "op": row.op,
                "output_shape": row.outputShape, "params": row.parameters, "inbound": row.inputs,
            ]
            object["activation"] = row.activation ?? NSNull()
            return object
        }
        let document: [String: Any] = [
            "model": modelName, "producer": producer, "total_params": totalParameters,
            "inputs": inputShapes, "outputs": outputShapes, "layers": layers,
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
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
