/// The element types of `.npy` files that Topiary reads and writes: the numeric types NumPy
/// and Keras users save data in, little-endian.
public enum NpyElementType: String, CaseIterable, Equatable, Sendable {
    case float32, float64, int8, uint8, int16, uint16, int32, int64, bool

    /// The NumPy type code without byte order, as in the header's `descr` (`f4`, `i8`, `b1`).
    public var code: String {
        switch self {
        case .float32: return "f4"
        case .float64: return "f8"
        case .int8: return "i1"
        case .uint8: return "u1"
        case .int16: return "i2"
        case .uint16: return "u2"
        case .int32: return "i4"
        case .int64: return "i8"
        case .bool: return "b1"
        }
    }

    public var byteCount: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .int16, .uint16: return 2
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }

    /// The header `descr` NumPy writes for this type: `|` (no byte order) for one-byte types,
    /// `<` (little-endian) otherwise.
    public var descriptor: String { (byteCount == 1 ? "|" : "<") + code }

    public var elementKind: NDArray.ElementKind {
        switch self {
        case .float32, .float64: return .float
        case .bool: return .boolean
        default: return .integer
        }
    }

    /// The type of a header `descr`, or a reason it cannot be read.
    static func parse(descriptor: String) -> Result<NpyElementType, NpyHeader.Refusal> {
        guard let order = descriptor.first, "<>|=".contains(order) else {
            return .failure(.unsupportedType(descriptor))
        }
        let code = String(descriptor.dropFirst())
        if code == "O" { return .failure(.objectArray) }
        guard let type = allCases.first(where: { $0.code == code }) else {
            return .failure(.unsupportedType(descriptor))
        }
        if order == ">" && type.byteCount > 1 { return .failure(.bigEndian(descriptor)) }
        return .success(type)
    }
}
