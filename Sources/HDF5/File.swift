import CHDF5
import Foundation

/// An HDF5 file opened read-only.
///
/// Groups, datasets and attributes read from it keep it open; read what you need into Swift
/// values and let them go.
public final class File: @unchecked Sendable {
    /// The path the file was opened from (or the name given to an in-memory image).
    public let path: String
    let handle: Handle

    /// Opens the file at `path` read-only. The corresponding C function is `H5Fopen`.
    public init(path: String) throws {
        self.path = path
        let location = Location(file: path, object: "")
        handle = try Library.locked {
            CrashReport.noteReading(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw location.error(.cannotOpen, "no such file")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw location.error(.cannotOpen, "file is not readable")
            }
            guard H5Fis_hdf5(path) > 0 else {
                _ = Library.takeErrorMessages()
                throw location.error(.corrupt, "not an HDF5 file (no HDF5 signature found)")
            }
            let id = try location.check(
                H5Fopen(path, chdf5_f_acc_rdonly(), chdf5_p_default()), .corrupt,
                "cannot open the HDF5 file; it may be truncated or damaged")
            return Handle(id, close: H5Fclose)
        }
    }

    /// Opens an HDF5 file held in memory (for example a member of a zip archive) read-only.
    /// `name` is used in error messages. The corresponding C function is `H5Pset_file_image`.
    public init(image: [UInt8], name: String) throws {
        path = name
        let location = Location(file: name, object: "")
        handle = try Library.locked {
            CrashReport.noteReading(name)
            guard image.count >= 8, image.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) else {
                throw location.error(.corrupt, "not an HDF5 file (no HDF5 signature found)")
            }
            let access = try location.check(H5Pcreate(chdf5_p_file_access()), .library, "cannot create file access properties")
            defer { H5Pclose(access) }
            try location.check(H5Pset_fapl_core(access, 1 << 16, false), .library, "cannot select the in-memory driver")
            var copy = image
            let status = copy.withUnsafeMutableBytes { H5Pset_file_image(access, $0.baseAddress, $0.count) }
            try location.check(status, .library, "cannot load the file image")
            let id = try location.check(
                H5Fopen(name, chdf5_f_acc_rdonly(), access), .corrupt,
                "cannot open the HDF5 file; it may be truncated or damaged")
            return Handle(id, close: H5Fclose)
        }
    }

    /// The root group `/`.
    public var root: Group {
        Group(file: self, handle: handle, location: Location(file: path, object: "/"))
    }
}
