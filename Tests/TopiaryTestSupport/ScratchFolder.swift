import Foundation
import Topiary

/// A scratch folder removed at the end of the scope that made it.
public func withScratchFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = try TemporaryDirectory(prefix: "topiary-test")
    defer { folder.remove() }
    return try body(folder.path)
}

/// Writes a generated model's files into `folder`.
public func write(_ model: GeneratedModel, to folder: String) throws {
    for file in model.files {
        try Data(file.contents.utf8).write(to: URL(fileURLWithPath: folder + "/" + file.name))
    }
}
