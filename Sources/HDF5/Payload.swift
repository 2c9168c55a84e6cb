import CHDF5
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The typed contents of a dataset or an attribute: both have a dataspace, a datatype and a
/// read call, and are decoded the same way.
struct Payload {
    let location: Location
    let space: Handle
    let type: Handle
    /// Reads the whole object into `buffer` converted to memory type `memType`.
    let read: (_ memType: hid_t, _ buffer: UnsafeMutableRawPointer) -> herr_t

    /// The payload of an open dataset or attribute, from its calls that open the dataspace and
    /// the datatype (each checked in turn, so a failure reports libhdf5's own message).
    init(
        location: Location, space openSpace: () -> hid_t, type openType: () -> hid_t,
        read: @escaping (_ memType: hid_t, _ buffer: UnsafeMutableRawPointer) -> herr_t
    ) throws {
        self.location = location
        space = Handle(try location.check(openSpace(), .corrupt, "cannot read the dataspace"), close: H5Sclose)
        type = Handle(try location.check(openType(), .corrupt, "cannot read the datatype"), close: H5Tclose)
        self.read = read
    }

    /// Shape of the dataspace; a scalar has shape `[]`.
    func shape() throws -> [Int] {
        let rank = try location.check(H5Sget_simple_extent_ndims(space.id), .corrupt, "cannot read the dataspace")
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 {
            try location.check(H5Sget_simple_extent_dims(space.id, &dims, nil), .corrupt, "cannot read the dataspace")
        }
        return try dims.map {
            guard $0 <= hsize_t(Int.max) else { throw location.error(.tooLarge, "declares a dimension of \($0) elements") }
            return Int($0)
        }
    }

    func elementClass() throws -> ElementClass {
        let typeClass = H5Tget_class(type.id)
        guard typeClass != H5T_NO_CLASS else {
            throw location.error(.corrupt, "has an unreadable datatype", library: Library.takeErrorMessages())
        }
        return ElementClass(typeClass)
    }

    /// Element count of `shape`, refusing more than `limit` before anything is allocated.
    func checkedCount(_ shape: [Int], limit: Int) throws -> Int {
        var count = 1
        for dim in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= limit else {
                throw location.error(.tooLarge, "declares shape \(shape), more than the \(limit) elements allowed")
            }
            count = product
        }
        return count
    }

    /// Reads numbers, converted by libhdf5 from the stored integer or float type (float16
    /// included) to `T`'s native type.
    func readNumbers<T: Numeric>(as memType: hid_t, zero: T, limit: Int) throws -> (shape: [Int], values: [T]) {
        let shape = try shape()
        let elementClass = try elementClass()
        guard elementClass == .integer || elementClass == .float else {
            throw location.error(.wrongType, "holds \(elementClass.name) data where numbers were expected")
        }
        let count = try checkedCount(shape, limit: limit)
        var values = [T](repeating: zero, count: count)
        if count > 0 {
            let status = values.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
            try location.check(status, .corrupt, "cannot read its data")
        }
        return (shape, values)
    }

    /// Reads fixed- or variable-length strings, dropping the NUL padding of fixed-length ones.
    func readStrings(limit: Int) throws -> [String] {
        let count = try checkedCount(try shape(), limit: limit)
        // Writers store an empty list without a string type (h5py writes float64 for `[]`).
        guard count > 0 else { return [] }
        guard try elementClass() == .string else {
            throw location.error(.wrongType, "holds \(try elementClass().name) data where text was expected")
        }
        let cset = H5Tget_cset(type.id)
        if H5Tis_variable_str(type.id) > 0 {
            let memType = try location.check(H5Tcopy(chdf5_c_s1()), .library, "cannot create a string type")
            defer { H5Tclose(memType) }
            try location.check(H5Tset_size(memType, chdf5_variable()), .library, "cannot create a string type")
            try location.check(H5Tset_cset(memType, cset), .library, "cannot create a string type")
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
            try location.check(status, .corrupt, "cannot read its text")
            defer { pointers.withUnsafeMutableBytes { _ = chdf5_reclaim(memType, space.id, $0.baseAddress!) } }
            // The library has already allocated the text; the limit still bounds what is kept.
            var total = 0
            for pointer in pointers {
                total += pointer.map { strlen($0) } ?? 0
                guard total <= limit else {
                    throw location.error(.tooLarge, "holds more than the \(limit) bytes of text allowed")
                }
            }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let width = H5Tget_size(type.id)
        guard width > 0 else { throw location.error(.corrupt, "has a string type of size 0") }
        let bytes = try checkedCount([count, width], limit: limit)
        let memType = try location.check(H5Tcopy(type.id), .library, "cannot create a string type")
        defer { H5Tclose(memType) }
        var buffer = [UInt8](repeating: 0, count: bytes)
        let status = buffer.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
        try location.check(status, .corrupt, "cannot read its text")
        return (0..<count).map { index in
            let slice = buffer[(index * width)..<((index + 1) * width)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
        }
    }
}
