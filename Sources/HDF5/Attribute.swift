import CHDF5

/// An attribute attached to a group or dataset.
public struct Attribute: @unchecked Sendable {
    let file: File
    let handle: Handle
    let location: Location

    private var payload: Payload {
        get throws {
            let space = try location.check(H5Aget_space(handle.id), .corrupt, "cannot read the dataspace")
            let spaceHandle = Handle(space, close: H5Sclose)
            let type = try location.check(H5Aget_type(handle.id), .corrupt, "cannot read the datatype")
            let typeHandle = Handle(type, close: H5Tclose)
            let id = handle.id
            return Payload(location: location, space: spaceHandle, type: typeHandle) { memType, buffer in
                H5Aread(id, memType, buffer)
            }
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
