import Foundation

/// What a run of the `topiary` executable printed and how it exited.
public struct Run: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// The `topiary` executable built beside the test bundle.
public let topiaryExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
    "topiary")

/// Runs the `topiary` executable built beside the test bundle.
public func topiary(_ arguments: String..., in directory: URL? = nil, environment: [String: String]? = nil) throws -> Run {
    try topiary(arguments: arguments, in: directory, environment: environment)
}

/// Runs the `topiary` executable with `directory` as its working directory and `environment`
/// (default: this process's); a run longer than `timeout` seconds is killed and reported with
/// status -1, so a hang fails its test instead of stalling the suite.
public func topiary(
    arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
    timeout: Double = 600
) throws -> Run {
    let process = Process()
    process.executableURL = topiaryExecutable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let deadline = DispatchTime.now() + timeout
    let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
    // Read before waiting so a large output cannot fill the pipe and stall the child; the
    // tool prints little on stderr, so reading it second cannot stall either.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    killer.cancel()
    let timedOut = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM
    return Run(
        status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}
