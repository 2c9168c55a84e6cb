import Foundation

/// A uniquely named directory that is removed when `remove()` is called (callers use `defer`),
/// so compiles and staged writes never leave files behind.
public struct TemporaryDirectory: Sendable {
    public let path: String

    /// A new directory inside `parent` (the system temporary directory by default), named
    /// `prefix` and a random suffix.
    public init(prefix: String = "topiary", in parent: String? = nil) throws {
        let base = parent ?? NSTemporaryDirectory()
        let candidate = URL(fileURLWithPath: base).appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())").path
        do {
            try FileManager.default.createDirectory(atPath: candidate, withIntermediateDirectories: false)
        } catch {
            throw CodeGenError.cannotWrite(path: candidate, reason: "cannot create a temporary folder (\(error.localizedDescription))")
        }
        path = candidate
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
