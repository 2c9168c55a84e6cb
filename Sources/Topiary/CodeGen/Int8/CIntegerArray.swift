/// A `static const` integer array of generated int8 code: weights, indices, biases, tables.
struct CIntegerArray: Equatable {
    enum ElementType: String {
        case int8 = "int8_t", uint8 = "uint8_t", uint16 = "uint16_t", int32 = "int32_t"

        var bytes: Int {
            switch self {
            case .int8, .uint8: return 1
            case .uint16: return 2
            case .int32: return 4
            }
        }
    }

    /// Short name used to find the symbol again (`values`, `bias`, …).
    var key: String
    /// What the array holds, for the comment over it.
    var meaning: String
    var type: ElementType
    var values: [Int64]

    init<T: BinaryInteger>(key: String, meaning: String, type: ElementType, _ values: [T]) {
        self.key = key
        self.meaning = meaning
        self.type = type
        self.values = values.map { Int64($0) }
    }

    var bytes: Int { values.count * type.bytes }

    /// Values per line of the printed array.
    static let valuesPerLine = 16

    /// The commented definition, named `symbol`; `layer` names the owner in the comment.
    func declaration(symbol: String, layer: String) -> String {
        var lines = [CComment.block("\(layer): \(meaning), \(values.count) x \(type.rawValue), \(bytes) bytes")]
        // C99 does not allow an empty initializer list; a zero-length array is not valid either.
        let stored = values.isEmpty ? [Int64(0)] : values
        lines.append("static const \(type.rawValue) \(symbol)[\(stored.count)] TOPIARY_WEIGHTS_SECTION TOPIARY_ALIGN(4) = {")
        var index = 0
        while index < stored.count {
            let end = min(index + Self.valuesPerLine, stored.count)
            lines.append("    " + stored[index..<end].map(Self.literal).joined(separator: ", ") + (end == stored.count ? "" : ","))
            index = end
        }
        lines.append("};")
        return lines.joined(separator: "\n")
    }

    /// `INT32_MIN` has no literal of its own in C (`-2147483648` is a negated long).
    private static func literal(_ value: Int64) -> String {
        value == Int64(Int32.min) ? "INT32_MIN" : String(value)
    }
}
