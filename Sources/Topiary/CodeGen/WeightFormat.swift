/// How a packed weight array stores its values. The float path has one format; int8 and the
/// sparse formats (bitmask, CSR, N:M) join it, and `WeightPacker` picks per tensor.
public enum WeightFormat: String, Sendable, Equatable {
    case denseFloat32 = "dense float32"

    /// The C element type of the array.
    var cType: String {
        switch self {
        case .denseFloat32: return "float"
        }
    }

    /// Bytes per stored element.
    var elementBytes: Int {
        switch self {
        case .denseFloat32: return 4
        }
    }
}
