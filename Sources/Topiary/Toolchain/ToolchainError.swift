/// A C tool that is missing or failed, with what to do about it.
public enum ToolchainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No program of this name in `PATH`.
    case notFound(String)
    /// The program exists but could not be started.
    case cannotStart(String, reason: String)
    /// A compile failed; `output` is what the compiler printed.
    case compileFailed(command: String, output: String)

    public var description: String {
        switch self {
        case let .notFound(name):
            return "'\(name)' was not found in PATH; install it (Debian: apt-get install gcc) or set CC to a C compiler"
        case let .cannotStart(name, reason):
            return "cannot run '\(name)': \(reason)"
        case let .compileFailed(command, output):
            return "the generated C did not compile with `\(command)`:\n\(output)"
        }
    }
}
