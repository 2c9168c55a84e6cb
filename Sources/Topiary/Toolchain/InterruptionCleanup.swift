import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an interrupted run must undo: the temporary and staging folders that exist right now
/// and the process groups of the tools running right now.
///
/// Folders and child processes register themselves while they exist; a command-line tool that
/// catches SIGINT, SIGTERM or SIGHUP calls `cleanUp()` before it exits, so nothing is left in
/// TMPDIR or beside the output and no compiler keeps running. A swap of outputs into place runs
/// inside `uninterrupted(_:)`, so an interruption waits for the swap to finish or roll back.
public enum InterruptionCleanup {
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var folders: [UUID: String] = [:]
    nonisolated(unsafe) private static var processGroups: [UUID: pid_t] = [:]

    /// Registers `path` for removal on interruption; returns the token that forgets it.
    static func register(folder path: String) -> UUID {
        let token = UUID()
        lock.withLock { folders[token] = path }
        return token
    }

    /// Registers the process group `group` to be killed on interruption.
    static func register(processGroup group: pid_t) -> UUID {
        let token = UUID()
        lock.withLock { processGroups[token] = group }
        return token
    }

    static func forget(_ token: UUID) {
        lock.withLock {
            folders[token] = nil
            processGroups[token] = nil
        }
    }

    /// Runs `body` so that `cleanUp()` waits until it has finished.
    static func uninterrupted<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Kills every registered process group and removes every registered folder. Called once,
    /// by the handler of a terminating signal, just before the process exits.
    public static func cleanUp() {
        lock.lock()
        for group in processGroups.values { kill(-group, SIGKILL) }
        for group in processGroups.values { var status: Int32 = 0; waitpid(-group, &status, 0) }
        for path in folders.values { try? FileManager.default.removeItem(atPath: path) }
        processGroups = [:]
        folders = [:]
        // Held until exit: nothing may start a tool or a folder after the cleanup.
    }
}
