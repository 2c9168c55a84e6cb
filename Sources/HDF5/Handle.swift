import CHDF5

/// An open libhdf5 identifier, closed with its own `H5xclose` when the last reference goes.
final class Handle: @unchecked Sendable {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    deinit {
        Library.locked { _ = close(id) }
    }
}

/// The element class of a dataset or attribute.
public enum ElementClass: Equatable, Sendable {
    case integer, float, string, other(String)

    init(_ typeClass: H5T_class_t) {
        switch typeClass {
        case H5T_INTEGER: self = .integer
        case H5T_FLOAT: self = .float
        case H5T_STRING: self = .string
        case H5T_COMPOUND: self = .other("compound")
        case H5T_ENUM: self = .other("enum")
        case H5T_ARRAY: self = .other("array")
        case H5T_VLEN: self = .other("variable-length sequence")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_REFERENCE: self = .other("reference")
        case H5T_BITFIELD: self = .other("bitfield")
        case H5T_TIME: self = .other("time")
        default: self = .other("unknown")
        }
    }

    public var name: String {
        switch self {
        case .integer: return "integer"
        case .float: return "floating-point"
        case .string: return "string"
        case let .other(name): return name
        }
    }
}
