import Foundation
import Topiary

/// A small C program compiled by the host compiler (`cc`) against the repository's
/// `include/`, for testing the C kernels and the generated code from Swift.
public struct CProgram {
    public static let includeDirectory = repositoryRoot.appendingPathComponent("include").path

    /// The strict flags the generated code promises to be clean under, and the sanitizers
    /// the parity harness runs it with: the library's own, so tests hold the C to the same bar.
    public static let strictFlags = CCompiler.strictFlags
    public static let sanitizerFlags = ParityHarness.sanitizerFlags

    public let executable: URL
    public let directory: URL

    /// Compiles `sources` (file name → contents; `.c` files are compiled, others only
    /// written) with `flags`, into a fresh temporary directory.
    public init(
        sources: [String: String], flags: [String] = CProgram.strictFlags + ["-O1"],
        includes: [String] = []
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-c-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, contents) in sources {
            try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        executable = directory.appendingPathComponent("program")
        let cFiles = sources.keys.filter { $0.hasSuffix(".c") }.sorted().map { directory.appendingPathComponent($0).path }
        let arguments =
            flags + ["-I", Self.includeDirectory, "-I", directory.path] + includes.flatMap { ["-I", $0] }
            + cFiles + ["-o", executable.path, "-lm"]
        let result = try Self.execute("/usr/bin/env", ["cc"] + arguments)
        guard result.status == 0 else {
            throw CProgramError(message: "cc failed (\(result.status)):\n\(result.stderr)")
        }
    }

    /// Runs the program with `input` on standard input; returns standard output, failing on
    /// a non-zero exit (a sanitizer report, a crash).
    public func run(input: String = "", arguments: [String] = []) throws -> String {
        let result = try Self.execute(executable.path, arguments, input: Data(input.utf8))
        guard result.status == 0 else {
            throw CProgramError(message: "program exited \(result.status):\n\(result.stderr.prefix(4000))")
        }
        return result.stdout
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    public struct Outcome {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func execute(_ path: String, _ arguments: [String], input: Data = Data()) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // Feed and drain on separate threads so neither pipe can fill and stall the child.
        let writer = Thread {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let errBox = DataBox()
        let errReader = Thread { errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errBox.done { usleep(1000) }
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

/// Holds what a reader thread collected.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    private var finished = false
    var data: Data {
        get { lock.withLock { stored } }
        set {
            lock.withLock {
                stored = newValue; finished = true
            }
        }
    }
    var done: Bool { lock.withLock { finished } }
}

public struct CProgramError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
