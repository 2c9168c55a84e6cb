/// Why a model could not be profiled on the emulated core.
public enum ProfileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A tool is missing; `package` is the Debian package that provides it.
    case toolMissing(tool: String, package: String)
    /// The image did not run to the end under QEMU; `output` is what it printed.
    case emulationFailed(board: String, status: Int32, output: String)
    /// The driver's report could not be read (it printed `output`).
    case unreadableReport(output: String)
    /// The model has no samples to run.
    case noSamples
    /// QEMU has no board here for the core `target`; `supported` are the cores it can run.
    case noBoard(target: String, supported: [String])

    public var description: String {
        switch self {
        case let .toolMissing(tool, package):
            return "'\(tool)' was not found in PATH; profiling on an emulated Cortex-M needs it (Debian: apt-get install \(package))"
        case let .emulationFailed(board, status, output):
            return "the model's image failed under qemu-system-arm -M \(board) (status \(status)):\n\(output)"
        case let .unreadableReport(output):
            return "the emulated model printed no instruction counts:\n\(output)"
        case .noSamples:
            return "the input data has no samples to profile"
        case let .noBoard(target, supported):
            return
                "\(target) cannot be profiled: QEMU has no board for it with the memory map the profiling image uses; profiling runs on \(supported.joined(separator: ", "))"
        }
    }
}
