import Foundation

/// A uniquely named directory that is removed when `remove()` is called (callers use `defer`),
/// so compiles and staged writes never leave files behind, even when the run is interrupted
/// (`InterruptionCleanup` removes it then).
public struct TemporaryDirectory: Sendable {
    public let path: String
    private let cleanupToken: UUID

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
        cleanupToken = InterruptionCleanup.register(folder: candidate)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
        InterruptionCleanup.forget(cleanupToken)
    }

    /// Keeps the directory (it was renamed into place): it is no longer removed on interruption.
    public func keep() {
        InterruptionCleanup.forget(cleanupToken)
    }
}
