import CHDF5

/// A dataset: an n-dimensional array of numbers or strings.
public struct Dataset: @unchecked Sendable {
    /// The most elements a read may allocate unless the caller says otherwise (2^28, 1 GiB of
    /// float32): a damaged or hostile file can declare any shape.
    public static let defaultElementLimit = 1 << 28

    let file: File
    let handle: Handle
    let location: Location

    /// Path inside the file, e.g. `/model_weights/fc1/fc1/kernel`.
    public var path: String { location.object }

    private var payload: Payload {
        get throws {
            let id = handle.id
            return try Payload(
                location: location, space: { H5Dget_space(id) }, type: { H5Dget_type(id) },
                read: { H5Dread(id, $0, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $1) })
        }
    }

    /// The declared shape; `[]` for a scalar.
    public func shape() throws -> [Int] {
        try Library.locked { try payload.shape() }
    }

    /// Whether the elements are integers, floats, strings or something else.
    public func elementClass() throws -> ElementClass {
        try Library.locked { try payload.elementClass() }
    }

    /// Reads integer or floating-point data (float16/32/64, any integer width) as `Float`.
    /// Fails with `.tooLarge` before allocating when the shape declares more than `limit` elements.
    public func readFloats(limit: Int = Dataset.defaultElementLimit) throws -> (shape: [Int], values: [Float]) {
        try Library.locked { try payload.readNumbers(as: chdf5_native_float(), zero: Float(0), limit: limit) }
    }

    /// Reads integer or floating-point data as `Double`.
    public func readDoubles(limit: Int = Dataset.defaultElementLimit) throws -> (shape: [Int], values: [Double]) {
        try Library.locked { try payload.readNumbers(as: chdf5_native_double(), zero: Double(0), limit: limit) }
    }

    /// Reads integer data (or floats, converted by truncation) as `Int64`.
    public func readInt64s(limit: Int = Dataset.defaultElementLimit) throws -> (shape: [Int], values: [Int64]) {
        try Library.locked { try payload.readNumbers(as: chdf5_native_int64(), zero: Int64(0), limit: limit) }
    }

    /// Reads fixed- or variable-length strings.
    public func readStrings(limit: Int = Dataset.defaultElementLimit) throws -> [String] {
        try Library.locked { try payload.readStrings(limit: limit) }
    }
}
