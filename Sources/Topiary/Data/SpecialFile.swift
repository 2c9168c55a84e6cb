#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a path names when it is not a regular file, checked before the file is opened: opening
/// a FIFO for reading blocks until a writer comes, and a device or a directory never reads as
/// a model or an array.
enum SpecialFile {
    /// Why `path` cannot be read as a file (`"is a directory, not a file"`), or nil for a
    /// regular file (or a symbolic link to one) and for a path that does not exist, which the
    /// caller reports in its own words.
    static func refusal(for path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, not a file"
        case S_IFIFO: return "is a named pipe (FIFO), not a file; save the data to a file first"
        case S_IFCHR: return "is a character device, not a file"
        case S_IFBLK: return "is a block device, not a file"
        case S_IFSOCK: return "is a socket, not a file"
        default: return "is not a regular file"
        }
    }
}
