/// The header of a `.npy` file: magic `\x93NUMPY`, a format version (1, 2 or 3), the header
/// length, and a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (360, 64), }` padded with spaces to a
/// multiple of 64 bytes and ending in a newline.
///
/// Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4 (3 allows a UTF-8
/// header); NumPy writes version 1 unless the header is too long.
struct NpyHeader: Equatable {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    var type: NpyElementType
    var shape: [Int]

    /// What makes a file unreadable, phrased for the user.
    enum Refusal: Error, Equatable {
        case notNpy
        case unsupportedVersion(Int)
        case truncated
        case malformed(String)
        case fortranOrder
        case objectArray
        case bigEndian(String)
        case unsupportedType(String)

        var message: String {
            switch self {
            case .notNpy:
                return "not a .npy file (no \\x93NUMPY signature); save arrays with numpy.save"
            case let .unsupportedVersion(version):
                return "uses .npy format version \(version); only versions 1, 2 and 3 are supported"
            case .truncated:
                return "is truncated: the header is incomplete"
            case let .malformed(detail):
                return "has a malformed .npy header (\(detail)); save arrays with numpy.save"
            case .fortranOrder:
                return "is stored in Fortran (column-major) order; save it in C order, e.g. numpy.save(path, numpy.ascontiguousarray(a))"
            case .objectArray:
                return "holds Python objects (dtype=object); save a numeric array instead, e.g. numpy.save(path, a.astype(numpy.float32))"
            case let .bigEndian(descr):
                return "is big-endian ('\(descr)'); save it little-endian, e.g. numpy.save(path, a.astype(a.dtype.newbyteorder('<')))"
            case let .unsupportedType(descr):
                return
                    "has element type '\(descr)'; supported are float32, float64, int8, uint8, int16, uint16, int32, int64 and bool: convert with a.astype(numpy.float32)"
            }
        }
    }

    /// Parses the header at the start of `bytes`; returns it and the offset of the data.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Refusal) -> (NpyHeader, dataOffset: Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw bytes.count >= 6 && Array(bytes[0..<6]) == magic ? .truncated : .notNpy
        }
        let major = Int(bytes[6])
        let headerLength: Int
        let start: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .truncated }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        default:
            throw .unsupportedVersion(major)
        }
        guard bytes.count >= start + headerLength else { throw .truncated }
        let text = String(decoding: bytes[start..<(start + headerLength)], as: UTF8.self)
        return (try parse(dictionary: text), start + headerLength)
    }

    /// Parses the Python dict literal of the header.
    static func parse(dictionary text: String) throws(Refusal) -> NpyHeader {
        var scanner = LiteralScanner(text)
        var descr: String?
        var fortran: Bool?
        var shape: [Int]?
        guard scanner.take("{") else { throw .malformed("it does not start with '{'") }
        while !scanner.take("}") {
            guard let key = scanner.string() else { throw .malformed("expected a quoted key") }
            guard scanner.take(":") else { throw .malformed("expected ':' after '\(key)'") }
            switch key {
            case "descr":
                if scanner.peek == "[" { throw .unsupportedType("structured") }
                guard let value = scanner.string() else { throw .malformed("'descr' is not a string") }
                descr = value
            case "fortran_order":
                if scanner.take("True") {
                    fortran = true
                } else if scanner.take("False") {
                    fortran = false
                } else {
                    throw .malformed("'fortran_order' is neither True nor False")
                }
            case "shape":
                guard let value = scanner.intTuple() else { throw .malformed("'shape' is not a tuple of integers") }
                shape = value
            default:
                throw .malformed("unexpected key '\(key)'")
            }
            _ = scanner.take(",")
        }
        guard let descr, let fortran, let shape else { throw .malformed("'descr', 'fortran_order' or 'shape' is missing") }
        if fortran && shape.count > 1 { throw .fortranOrder }
        switch NpyElementType.parse(descriptor: descr) {
        case let .success(type): return NpyHeader(type: type, shape: shape)
        case let .failure(refusal): throw refusal
        }
    }

    /// The complete header bytes (magic, version, length, dict) for format `version`, padded
    /// as NumPy pads it so the data starts on a 64-byte boundary.
    func encoded(version: Int) -> [UInt8] {
        let dims = shape.map(String.init)
        let tuple = shape.count == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
        var dict = Array("{'descr': '\(type.descriptor)', 'fortran_order': False, 'shape': \(tuple), }".utf8)
        let prefix = version == 1 ? 10 : 12
        let total = (prefix + dict.count + 1 + 63) / 64 * 64
        dict += [UInt8](repeating: 0x20, count: total - prefix - dict.count - 1) + [0x0A]
        var bytes = Self.magic + [UInt8(version), 0]
        let length = dict.count
        bytes += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF)]
        if version != 1 { bytes += [UInt8((length >> 16) & 0xFF), UInt8((length >> 24) & 0xFF)] }
        return bytes + dict
    }
}
