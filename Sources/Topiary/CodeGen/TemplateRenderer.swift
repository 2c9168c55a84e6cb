/// Fills the `{{key}}` placeholders of the templates in `codegen/`.
///
/// Deliberately minimal: no loops or conditions in the templates (lists are rendered in Swift
/// and passed in whole), so a template reads like the file it produces. Every placeholder must
/// be given and every value used, which catches a template and its renderer drifting apart.
enum TemplateRenderer {
    static func render(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var used = Set<String>()
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                preconditionFailure("unterminated placeholder in a template")
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[key] else { preconditionFailure("template placeholder {{\(key)}} has no value") }
            result += value
            used.insert(key)
            rest = rest[close.upperBound...]
        }
        result += rest
        precondition(used == Set(values.keys), "values given for no placeholder: \(Set(values.keys).subtracting(used).sorted())")
        return result
    }
}
