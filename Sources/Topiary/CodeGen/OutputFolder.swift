import Foundation

/// Writes generated files into a folder all at once or not at all.
///
/// Files are first written to a hidden staging folder beside the destination (same file
/// system), then renamed into place: a new destination folder is the staging folder renamed;
/// an existing one receives each file by an atomic rename that replaces the old file. If
/// anything fails while staging, the staging folder is removed and the destination is left
/// exactly as it was. Other files already in an existing destination are never touched.
public enum OutputFolder {
    /// Writes `files` into `directory` (created if missing; its parent must exist) and
    /// returns the paths written, in order.
    @discardableResult
    public static func write(_ files: [GeneratedModel.File], to directory: String) throws -> [String] {
        let manager = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CodeGenError.cannotWrite(path: target.path, reason: "the parent folder \(parent) does not exist; create it first")
        }
        let exists = manager.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw CodeGenError.cannotWrite(path: target.path, reason: "it is a file, not a folder")
        }
        if exists && !manager.isWritableFile(atPath: target.path) {
            throw CodeGenError.cannotWrite(path: target.path, reason: "the folder is not writable")
        }

        let staging = try TemporaryDirectory(prefix: ".topiary-staging-" + CIdentifier.sanitize(target.lastPathComponent), in: parent)
        var moved = false
        defer { if !moved { staging.remove() } }
        for file in files {
            do {
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: staging.file(file.name)))
            } catch {
                throw CodeGenError.cannotWrite(path: target.appendingPathComponent(file.name).path, reason: error.localizedDescription)
            }
        }
        let written = files.map { target.appendingPathComponent($0.name).path }
        if !exists {
            guard Foundation.rename(staging.path, target.path) == 0 else {
                throw CodeGenError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
            }
            try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
            moved = true
            return written
        }
        for (file, destination) in zip(files, written) {
            guard Foundation.rename(staging.file(file.name), destination) == 0 else {
                throw CodeGenError.cannotWrite(path: destination, reason: String(cString: strerror(errno)))
            }
        }
        return written
    }
}
