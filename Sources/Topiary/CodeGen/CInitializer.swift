/// Renders the `static const` parameter structs and small arrays of generated code, with C99
/// designated initializers so each value is labelled by its field name.
enum CInitializer {
    /// `static const TYPE SYMBOL = { .field = value, … };`, one field per line.
    static func declaration(type: String, symbol: String, fields: [(String, String)]) -> String {
        var lines = ["static const \(type) \(symbol) = {"]
        for (index, field) in fields.enumerated() {
            lines.append("    .\(field.0) = \(field.1)" + (index == fields.count - 1 ? "" : ","))
        }
        lines.append("};")
        return lines.joined(separator: "\n")
    }

    /// A brace list of integers, `{ 3, 4, 5 }`.
    static func list(_ values: [Int]) -> String {
        "{ " + values.map(String.init).joined(separator: ", ") + " }"
    }

    /// A nested struct value, `{ .a = 1, .b = 2 }`.
    static func nested(_ fields: [(String, String)]) -> String {
        "{ " + fields.map { ".\($0.0) = \($0.1)" }.joined(separator: ", ") + " }"
    }
}
