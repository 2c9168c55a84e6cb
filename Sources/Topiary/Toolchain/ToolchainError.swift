/// A C tool that is missing or failed, with what to do about it.
public enum ToolchainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No program of this name in `PATH`.
    case notFound(String)
    /// The program exists but could not be started.
    case cannotStart(String, reason: String)
    /// A compile failed; `output` is what the compiler printed.
    case compileFailed(command: String, output: String)
    /// The program ran longer than its time limit and was stopped.
    case timedOut(String, seconds: Double)

    public var description: String {
        switch self {
        case let .notFound(name):
            return "'\(name)' was not found in PATH; install it (Debian: apt-get install gcc) or set CC to a C compiler"
        case let .cannotStart(name, reason):
            return "cannot run '\(name)': \(reason)"
        case let .timedOut(name, seconds):
            return "'\(name)' ran longer than its \(Int(seconds.rounded(.up))) s limit and was stopped"
        case let .compileFailed(command, output):
            return "the generated C did not compile with `\(command)`:\n\(output)"
        }
    }
}
