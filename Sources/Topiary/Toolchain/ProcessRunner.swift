import Foundation

/// Runs an external program (a C compiler, `arm-none-eabi-size`, a compiled driver) and
/// collects what it printed.
public enum ProcessRunner {
    /// How a run ended.
    public struct Result: Equatable, Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` in
    /// `directory`, and waits for it. Throws `ToolchainError.notFound` when there is no such
    /// program.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> Result {
        guard let path = ExecutableSearch.find(executable) else {
            throw ToolchainError.notFound(executable)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ToolchainError.cannotStart(executable, reason: error.localizedDescription)
        }
        // Drain stderr on another thread so neither pipe can fill and stall the child.
        let errors = PipeReader(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
