import Foundation

/// Writes generated files into a folder all at once or not at all.
///
/// Files are first written to a hidden staging folder beside the destination (same file
/// system), then renamed into place: a new destination folder is the staging folder renamed;
/// an existing one receives each file by an atomic rename that replaces the old file, after
/// the files it replaces are kept aside in the staging folder, so that a rename failing half
/// way puts every replaced file back. If anything fails, the staging folder is removed and the
/// destination is left exactly as it was. An interruption (`InterruptionCleanup`) waits for the
/// renames to finish or be undone. Other files already in an existing destination are never
/// touched. A file may lie in a subfolder (`src/digits.c` in a package), created as needed.
public enum OutputFolder {
    /// Writes `files` into `directory` (created if missing; its parent must exist) and
    /// returns the paths written, in order.
    @discardableResult
    public static func write(_ files: [GeneratedModel.File], to directory: String) throws -> [String] {
        let manager = FileManager.default
        var seen: Set<String> = []
        for file in files where !seen.insert(file.name).inserted {
            // The model's own header would overwrite a kernel header of the same name (a model
            // named "topiary" or "tp_dense_f32") and the C would no longer compile.
            throw CodeGenError.cannotWrite(
                path: URL(fileURLWithPath: directory).appendingPathComponent(file.name).path,
                reason:
                    "two generated files would both be named \(file.name): the model's name clashes with a kernel header's; give the model another name"
            )
        }
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
                let staged = URL(fileURLWithPath: staging.file(file.name))
                try manager.createDirectory(at: staged.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: staged)
            } catch {
                throw CodeGenError.cannotWrite(path: target.appendingPathComponent(file.name).path, reason: error.localizedDescription)
            }
        }
        let written = files.map { target.appendingPathComponent($0.name).path }
        let subfolders = Set(
            files.compactMap { file in
                file.name.contains("/") ? target.appendingPathComponent(file.name).deletingLastPathComponent().path : nil
            }
        ).sorted()
        // Refused before anything is replaced: a folder standing where a file goes, or a file
        // where a folder goes.
        if exists {
            for destination in written where manager.fileExists(atPath: destination, isDirectory: &isDirectory) && isDirectory.boolValue {
                throw CodeGenError.cannotWrite(path: destination, reason: "a folder stands where this file goes; nothing was written")
            }
            for folder in subfolders where manager.fileExists(atPath: folder, isDirectory: &isDirectory) && !isDirectory.boolValue {
                throw CodeGenError.cannotWrite(path: folder, reason: "a file stands where this folder goes; nothing was written")
            }
        }
        try InterruptionCleanup.uninterrupted {
            if !exists {
                guard Foundation.rename(staging.path, target.path) == 0 else {
                    throw CodeGenError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
                }
                staging.keep()
                try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
                moved = true
                return
            }
            try replace(files.map(\.name), from: staging, into: written, subfolders: subfolders)
        }
        return written
    }

    /// Renames the staged `names` over `destinations`, creating the `subfolders` they lie in
    /// that are missing. Each replaced file is hard-linked aside first, so a failure half way
    /// can put it back (and remove the folders it created).
    private static func replace(
        _ names: [String], from staging: TemporaryDirectory, into destinations: [String], subfolders: [String]
    ) throws {
        var keptAside: [(kept: String, destination: String)] = []
        var replaced: [String] = []
        var created: [String] = []
        func restore() {
            for destination in replaced where !keptAside.contains(where: { $0.destination == destination }) {
                unlink(destination)
            }
            for (kept, destination) in keptAside { _ = Foundation.rename(kept, destination) }
            for folder in created.reversed() { rmdir(folder) }
        }
        for folder in subfolders where !FileManager.default.fileExists(atPath: folder) {
            guard mkdir(folder, 0o755) == 0 else {
                let reason = String(cString: strerror(errno))
                restore()
                throw CodeGenError.cannotWrite(path: folder, reason: "\(reason); nothing was written")
            }
            created.append(folder)
        }
        for (index, destination) in destinations.enumerated() where FileManager.default.fileExists(atPath: destination) {
            let kept = staging.file(".previous-\(index)")
            guard link(destination, kept) == 0 else {
                throw CodeGenError.cannotWrite(
                    path: destination,
                    reason: "cannot keep the previous file aside (\(String(cString: strerror(errno)))); nothing was written")
            }
            keptAside.append((kept, destination))
        }
        for (name, destination) in zip(names, destinations) {
            guard Foundation.rename(staging.file(name), destination) == 0 else {
                let reason = String(cString: strerror(errno))
                restore()
                throw CodeGenError.cannotWrite(path: destination, reason: "\(reason); the previous files were put back")
            }
            replaced.append(destination)
        }
    }
}
