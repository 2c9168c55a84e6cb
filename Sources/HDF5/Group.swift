import CHDF5

/// What a link in a group points to.
public enum ObjectKind: Equatable, Sendable {
    case group, dataset, other
}

/// A group (or the file's root) and the objects below it.
public struct Group: @unchecked Sendable {
    let file: File
    let handle: Handle
    let location: Location

    /// Path inside the file, e.g. `/model_weights/fc1`.
    public var path: String { location.object }

    /// The file the group belongs to, for messages.
    public var filePath: String { location.file }

    /// Names of the links in this group, in name order. The corresponding C functions are
    /// `H5Gget_info` and `H5Lget_name_by_idx`.
    public func childNames() throws -> [String] { try names(of: .links) }

    /// Where the group's object header lies in the file: two paths reach the same group (a hard
    /// link back to a parent makes a loop) exactly when their addresses are equal. The
    /// corresponding C function is `H5Oget_info`.
    public func objectAddress() throws -> UInt64 {
        try Library.locked {
            var address: UInt64 = 0
            try location.check(chdf5_object_address(handle.id, &address), .corrupt, "cannot read the object's address")
            return address
        }
    }

    /// True if every component of the relative `path` exists as a link. The corresponding C
    /// function is `H5Lexists`.
    public func contains(_ path: String) -> Bool {
        Library.locked {
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += prefix.isEmpty ? String(component) : "/" + component
                guard H5Lexists(handle.id, prefix, chdf5_p_default()) > 0 else {
                    _ = Library.takeErrorMessages()
                    return false
                }
            }
            return !prefix.isEmpty
        }
    }

    /// What the object at the relative `path` is, or nil when there is none.
    public func kind(of path: String) throws -> ObjectKind? {
        guard contains(path) else { return nil }
        return try Library.locked {
            let id = try location.child(path).check(H5Oopen(handle.id, path, chdf5_p_default()), .corrupt, "cannot open the object")
            defer { H5Oclose(id) }
            switch H5Iget_type(id) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// The group at the relative `path` (may contain `/`). The corresponding C function is `H5Gopen2`.
    public func group(_ path: String) throws -> Group {
        let id = handle.id
        let (opened, child) = try openChild(path, kind: .group, noun: "group", close: H5Gclose) {
            H5Gopen2(id, path, chdf5_p_default())
        }
        return Group(file: file, handle: opened, location: child)
    }

    /// The dataset at the relative `path` (may contain `/`). The corresponding C function is `H5Dopen2`.
    public func dataset(_ path: String) throws -> Dataset {
        let id = handle.id
        let (opened, child) = try openChild(path, kind: .dataset, noun: "dataset", close: H5Dclose) {
            H5Dopen2(id, path, chdf5_p_default())
        }
        return Dataset(file: file, handle: opened, location: child)
    }

    /// Opens the `kind` of object at the relative `path` with `open`, first checking that the
    /// path leads to one, so that a missing object and one of another kind are told apart.
    private func openChild(
        _ path: String, kind: ObjectKind, noun: String, close: @escaping (hid_t) -> herr_t, open: () -> hid_t
    ) throws -> (handle: Handle, location: Location) {
        let child = location.child(path)
        guard try self.kind(of: path) == kind else {
            throw child.error(.notFound, contains(path) ? "is not a \(noun)" : "no such \(noun)")
        }
        return try Library.locked {
            let id = try child.check(open(), .corrupt, "cannot open the \(noun)")
            return (Handle(id, close: close), child)
        }
    }

    /// Names of this group's attributes, in name order. The corresponding C functions are
    /// `H5Oget_info` and `H5Aget_name_by_idx`.
    public func attributeNames() throws -> [String] { try names(of: .attributes) }

    /// What a group lists by name: each is counted by its own info call, then read by index
    /// with a `*_get_name_by_idx` function, the two of which take the same arguments.
    private enum NameList {
        case links, attributes
    }

    /// The names of `list`, each read the way libhdf5's `*_get_name_by_idx` calls want: once
    /// without a buffer for the length, then into a buffer one longer for the NUL.
    private func names(of list: NameList) throws -> [String] {
        try Library.locked {
            let count: hsize_t
            let failure: String
            let nameByIndex:
                (hid_t, UnsafePointer<CChar>?, H5_index_t, H5_iter_order_t, hsize_t, UnsafeMutablePointer<CChar>?, Int, hid_t) -> Int
            switch list {
            case .links:
                var info = H5G_info_t()
                try location.check(H5Gget_info(handle.id, &info), .corrupt, "cannot list the group")
                (count, failure, nameByIndex) = (info.nlinks, "cannot read a link name", H5Lget_name_by_idx)
            case .attributes:
                var info = H5O_info_t()
                try location.check(H5Oget_info(handle.id, &info), .corrupt, "cannot count attributes")
                (count, failure, nameByIndex) = (info.num_attrs, "cannot read an attribute name", H5Aget_name_by_idx)
            }
            func nameAt(_ index: hsize_t, _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int {
                nameByIndex(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, buffer, size, chdf5_p_default())
            }
            return try (0..<count).map { index in
                let length = try location.check(nameAt(index, nil, 0), .corrupt, failure)
                var buffer = [CChar](repeating: 0, count: length + 1)
                try buffer.withUnsafeMutableBufferPointer { try location.check(nameAt(index, $0.baseAddress, $0.count), .corrupt, failure) }
                return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            }
        }
    }

    public func hasAttribute(_ name: String) -> Bool {
        Library.locked {
            let exists = H5Aexists(handle.id, name)
            if exists < 0 { _ = Library.takeErrorMessages() }
            return exists > 0
        }
    }

    /// The attribute `name` of this group. The corresponding C function is `H5Aopen`.
    public func attribute(_ name: String) throws -> Attribute {
        let where_ = Location(file: location.file, object: location.object + "@" + name)
        guard hasAttribute(name) else { throw where_.error(.notFound, "no such attribute") }
        return try Library.locked {
            let id = try where_.check(H5Aopen(handle.id, name, chdf5_p_default()), .corrupt, "cannot open the attribute")
            return Attribute(file: file, handle: Handle(id, close: H5Aclose), location: where_)
        }
    }

    /// A string-array attribute that may have been split by its writer into `name0`, `name1`, …
    /// because it was too large for one attribute (as Keras does with `layer_names`).
    public func chunkedStringsAttribute(_ name: String, limit: Int = Dataset.defaultElementLimit) throws -> [String] {
        if hasAttribute(name) { return try attribute(name).readStrings(limit: limit) }
        var result: [String] = []
        var chunk = 0
        while hasAttribute("\(name)\(chunk)") {
            result += try attribute("\(name)\(chunk)").readStrings(limit: limit)
            chunk += 1
        }
        guard chunk > 0 else {
            throw Location(file: location.file, object: location.object + "@" + name).error(.notFound, "no such attribute")
        }
        return result
    }
}
