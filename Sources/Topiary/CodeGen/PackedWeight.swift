/// One weight array of the generated C, packed and ready to print.
public struct PackedWeight: Equatable, Sendable {
    /// The array's C identifier.
    public var symbol: String
    /// The node it belongs to (first user, for a shared layer's weight).
    public var layer: String
    /// What the tensor is, e.g. `kernel [in, units]`.
    public var meaning: String
    public var shape: [Int]
    public var format: WeightFormat
    /// The stored elements, as C constants.
    var elements: [String]
    /// Fraction of the values that are exactly zero.
    public var sparsity: Double

    /// Bytes the array occupies in flash.
    public var bytes: Int { elements.count * format.elementBytes }

    /// Elements per line of the printed array.
    static let elementsPerLine = 6

    /// The commented `static const` definition.
    var declaration: String {
        let percent = (sparsity * 1000).rounded() / 10
        let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        var lines = [
            CComment.block(
                "\(layer): \(meaning), shape \(shapeText), \(format.rawValue), \(elements.count) values, \(bytes) bytes, sparsity \(percent)%"
            )
        ]
        lines.append("static const \(format.cType) \(symbol)[\(elements.count)] TOPIARY_WEIGHTS_SECTION TOPIARY_ALIGN(16) = {")
        var index = 0
        while index < elements.count {
            let end = min(index + Self.elementsPerLine, elements.count)
            lines.append("    " + elements[index..<end].joined(separator: ", ") + (end == elements.count ? "" : ","))
            index = end
        }
        lines.append("};")
        return lines.joined(separator: "\n")
    }
}
