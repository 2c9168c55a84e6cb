import CHDF5

/// An attribute attached to a group or dataset.
public struct Attribute: @unchecked Sendable {
    let file: File
    let handle: Handle
    let location: Location

    private var payload: Payload {
        get throws {
            let id = handle.id
            return try Payload(
                location: location, space: { H5Aget_space(id) }, type: { H5Aget_type(id) }, read: { H5Aread(id, $0, $1) })
        }
    }

    public func shape() throws -> [Int] {
        try Library.locked { try payload.shape() }
    }

    public func elementClass() throws -> ElementClass {
        try Library.locked { try payload.elementClass() }
    }

    /// The attribute's strings: one for a scalar string, several for a string array.
    public func readStrings(limit: Int = Dataset.defaultElementLimit) throws -> [String] {
        try Library.locked { try payload.readStrings(limit: limit) }
    }

    /// A scalar string attribute (an array of strings is joined, as split JSON would be).
    public func readString(limit: Int = Dataset.defaultElementLimit) throws -> String {
        try readStrings(limit: limit).joined()
    }

    public func readDoubles(limit: Int = Dataset.defaultElementLimit) throws -> [Double] {
        try Library.locked { try payload.readNumbers(as: chdf5_native_double(), zero: Double(0), limit: limit).values }
    }

    public func readInt64s(limit: Int = Dataset.defaultElementLimit) throws -> [Int64] {
        try Library.locked { try payload.readNumbers(as: chdf5_native_int64(), zero: Int64(0), limit: limit).values }
    }
}
