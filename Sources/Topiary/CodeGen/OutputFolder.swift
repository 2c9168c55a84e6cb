import Foundation

/// Writes generated files into a folder all at once or not at all.
///
/// Files are first written to a hidden staging folder beside the destination (same file
/// system), then moved into place: a new destination folder is the staging folder renamed; in
/// an existing one, each old file is first moved aside into the staging folder and each new
/// file renamed into place, and if any rename fails every step is undone, so the folder holds
/// either the whole previous set or the whole new one. An interruption (`InterruptionCleanup`)
/// waits for the swap to finish or roll back. Other files already in an existing destination
/// are never touched.
public enum OutputFolder {
    /// The names of the kernel headers generated code may include: a model may not be named so
    /// that its header takes one of these names.
    public static var kernelHeaderNames: Set<String> { Set(EmbeddedFiles.headers.keys) }

    /// Writes `files` into `directory` (created if missing; its parent must exist) and
    /// returns the paths written, in order.
    @discardableResult
    public static func write(_ files: [GeneratedModel.File], to directory: String) throws -> [String] {
        let manager = FileManager.default
        guard !directory.isEmpty else {
            throw CodeGenError.cannotWrite(path: directory, reason: "no folder given; name the folder to write into")
        }
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        try checkNames(files, in: target)
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
        let written = files.map { target.appendingPathComponent($0.name).path }
        if exists {
            // A folder where a file is to go cannot be replaced by a rename: refuse before writing.
            for destination in written where manager.fileExists(atPath: destination, isDirectory: &isDirectory) && isDirectory.boolValue {
                throw CodeGenError.cannotWrite(path: destination, reason: "a folder stands where this file is to be written")
            }
        }

        let staging = try TemporaryDirectory(prefix: ".topiary-staging-" + CIdentifier.sanitize(target.lastPathComponent), in: parent)
        defer { staging.remove() }
        for file in files {
            do {
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: staging.file(file.name)))
            } catch {
                throw CodeGenError.cannotWrite(path: target.appendingPathComponent(file.name).path, reason: error.localizedDescription)
            }
        }
        try InterruptionCleanup.uninterrupted {
            if !exists {
                guard Foundation.rename(staging.path, target.path) == 0 else {
                    throw CodeGenError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
                }
                staging.keep()
                try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
                return
            }
            try swap(files.map(\.name), from: staging, into: written)
        }
        return written
    }

    /// Two generated files of one name would overwrite each other: a model named like a
    /// kernel header (`topiary`, `tp_dense_f32`) gives a NAME.h that replaces that header.
    private static func checkNames(_ files: [GeneratedModel.File], in target: URL) throws {
        var seen = Set<String>()
        for file in files where !seen.insert(file.name).inserted {
            let stem = (file.name as NSString).deletingPathExtension
            throw CodeGenError.cannotWrite(path: target.appendingPathComponent(file.name).path,
                                           reason: "the model's C name '\(stem)' gives \(file.name), which is also the name of a kernel header the model needs; give the model another name")
        }
    }

    /// Moves the staged `names` over `destinations`, keeping each replaced file in a backup
    /// folder inside the staging folder until every rename has succeeded; undoes all on failure.
    private static func swap(_ names: [String], from staging: TemporaryDirectory, into destinations: [String]) throws {
        let backup = staging.file(".previous")
        try FileManager.default.createDirectory(atPath: backup, withIntermediateDirectories: false)
        var movedAside: [(original: String, kept: String)] = []
        var placed: [(destination: String, staged: String)] = []
        func undo() {
            for step in placed.reversed() { _ = Foundation.rename(step.destination, step.staged) }
            for step in movedAside.reversed() { _ = Foundation.rename(step.kept, step.original) }
        }
        for (name, destination) in zip(names, destinations) {
            if FileManager.default.fileExists(atPath: destination) {
                let kept = backup + "/" + name
                guard Foundation.rename(destination, kept) == 0 else {
                    let reason = String(cString: strerror(errno))
                    undo()
                    throw CodeGenError.cannotWrite(path: destination, reason: reason + "; the previous files were put back")
                }
                movedAside.append((destination, kept))
            }
            let staged = staging.file(name)
            guard Foundation.rename(staged, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                undo()
                throw CodeGenError.cannotWrite(path: destination, reason: reason + "; the previous files were put back")
            }
            placed.append((destination, staged))
        }
    }
}
