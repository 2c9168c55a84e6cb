import Foundation

/// Reading and writing NumPy `.npy` files: little-endian, C order, format versions 1, 2 and 3.
///
/// Values are converted to `Float` on reading (float64 data loses precision beyond float32,
/// which is what the models compute in anyway). Fortran-ordered, big-endian, object and
/// structured arrays are refused with a message saying how to re-save the file.
public enum NpyFile {
    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws -> NDArray {
        if let refusal = SpecialFile.refusal(for: path) { throw DataError(file: path, refusal) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError(
                file: path,
                FileManager.default.fileExists(atPath: path)
                    ? "cannot be read (\(error.localizedDescription))" : "no such file")
        }
        return try decode(data, name: path)
    }

    /// Decodes the bytes of a `.npy` file; `name` is used in error messages.
    public static func decode(_ data: Data, name: String) throws -> NDArray {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> NDArray in
            let header: NpyHeader, offset: Int
            do {
                (header, offset) = try NpyHeader.parse(bytes)
            } catch let refusal as NpyHeader.Refusal {
                throw DataError(file: name, refusal.message)
            }
            guard let count = header.shape.checkedElementCount,
                let expected = CheckedArithmetic.product(count, header.type.byteCount)
            else {
                throw DataError(file: name, "declares an impossible shape \(header.shape)")
            }
            let available = bytes.count - offset
            guard available >= expected else {
                throw DataError(
                    file: name,
                    "is truncated: shape \(header.shape) of \(header.type.rawValue) needs \(expected) bytes of data, the file has \(available)"
                )
            }
            let body = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + expected)])
            let values = convert(body, type: header.type, count: count)
            return NDArray(shape: header.shape, values: values, elementKind: header.type.elementKind)
        }
    }

    private static func convert(_ body: UnsafeRawBufferPointer, type: NpyElementType, count: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        func load<T: FixedWidthInteger>(_: T.Type) {
            for i in 0..<count { values[i] = Float(T(littleEndian: body.loadUnaligned(fromByteOffset: i * T.bitWidth / 8, as: T.self))) }
        }
        switch type {
        case .float32:
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: body.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        case .float64:
            for i in 0..<count {
                values[i] = Float(Double(bitPattern: UInt64(littleEndian: body.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))))
            }
        case .int8: load(Int8.self)
        case .uint8: load(UInt8.self)
        case .int16: load(Int16.self)
        case .uint16: load(UInt16.self)
        case .int32: load(Int32.self)
        case .int64: load(Int64.self)
        case .bool:
            for i in 0..<count { values[i] = body[i] == 0 ? 0 : 1 }
        }
        return values
    }

    /// Encodes `array` as a `.npy` file of element type `type` in format `version` (1, 2 or 3).
    ///
    /// Integer and bool types need values that the type holds exactly; anything else is an
    /// error rather than a silent rounding.
    public static func encode(
        _ array: NDArray, as type: NpyElementType = .float32, version: Int = 1,
        name: String = "array"
    ) throws -> Data {
        guard (1...3).contains(version) else {
            throw DataError(file: name, ".npy format version \(version) does not exist; use 1, 2 or 3")
        }
        var bytes = NpyHeader(type: type, shape: array.shape).encoded(version: version)
        bytes.reserveCapacity(bytes.count + array.values.count * type.byteCount)
        func store<T: FixedWidthInteger>(_: T.Type) throws {
            for (index, value) in array.values.enumerated() {
                guard let exact = T(exactly: value) else {
                    throw DataError(file: name, "value \(value) at index \(index) is not representable as \(type.rawValue)")
                }
                withUnsafeBytes(of: exact.littleEndian) { bytes += $0 }
            }
        }
        switch type {
        case .float32:
            for value in array.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        case .float64:
            for value in array.values { withUnsafeBytes(of: Double(value).bitPattern.littleEndian) { bytes += $0 } }
        case .int8: try store(Int8.self)
        case .uint8: try store(UInt8.self)
        case .int16: try store(Int16.self)
        case .uint16: try store(UInt16.self)
        case .int32: try store(Int32.self)
        case .int64: try store(Int64.self)
        case .bool:
            for (index, value) in array.values.enumerated() {
                guard value == 0 || value == 1 else {
                    throw DataError(file: name, "value \(value) at index \(index) is not a bool (0 or 1)")
                }
                bytes.append(value == 0 ? 0 : 1)
            }
        }
        return Data(bytes)
    }

    /// Writes `array` to `path` as a `.npy` file (float32 and format version 1 by default).
    public static func write(_ array: NDArray, to path: String, as type: NpyElementType = .float32, version: Int = 1) throws {
        let data = try encode(array, as: type, version: version, name: path)
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw DataError(file: path, "cannot be written (\(error.localizedDescription)); check that its folder exists and is writable")
        }
    }
}
