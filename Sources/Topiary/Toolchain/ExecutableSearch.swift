import Foundation

/// Finds programs the way a shell does: a name with a slash is a path, any other name is
/// looked up in the directories of `PATH`.
public enum ExecutableSearch {
    /// The full path of `name`, or `nil` when no executable of that name exists.
    public static func find(_ name: String) -> String? {
        let manager = FileManager.default
        if name.contains("/") {
            return manager.isExecutableFile(atPath: name) ? name : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + name
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                manager.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }
}
