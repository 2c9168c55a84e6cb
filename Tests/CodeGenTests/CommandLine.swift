import Foundation

/// What a run of the `topiary` executable printed and how it exited.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the `topiary` executable built beside the test bundle.
func topiary(_ arguments: String..., environment: [String: String]? = nil) throws -> Run {
    try run(arguments, in: nil, environment: environment)
}

/// Runs `topiary` with `directory` as its working directory.
func topiaryIn(_ directory: String, _ arguments: String...) throws -> Run {
    try run(arguments, in: directory, environment: nil)
}

private func run(_ arguments: [String], in directory: String?, environment: [String: String]?) throws -> Run {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("topiary")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a large output cannot fill the pipe and stall the child; the
    // tool prints little on stderr, so reading it second cannot stall either.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
}
