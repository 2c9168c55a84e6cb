import Foundation

/// A C compiler invocation: which compiler, with what flags.
///
/// The host compiler is `cc` unless the `CC` environment variable names another (a path or a
/// name, optionally with leading flags, e.g. `CC="clang -m32"`).
public struct CCompiler: Sendable, Equatable {
    /// The program and any flags that came with it in `CC`.
    public var command: [String]

    public init(command: [String]) {
        precondition(!command.isEmpty, "a compiler command needs a program")
        self.command = command
    }

    /// `CC` from the environment, or `cc`.
    public static func host(environment: [String: String] = ProcessInfo.processInfo.environment) -> CCompiler {
        let words = (environment["CC"] ?? "").split(separator: " ").map(String.init)
        return CCompiler(command: words.isEmpty ? ["cc"] : words)
    }

    /// `arm-none-eabi-gcc`, when installed.
    public static var armNoneEabi: CCompiler? {
        ExecutableSearch.find("arm-none-eabi-gcc").map { _ in CCompiler(command: ["arm-none-eabi-gcc"]) }
    }

    /// True when the compiler's program exists.
    public var isAvailable: Bool { ExecutableSearch.find(command[0]) != nil }

    /// Runs the compiler with `arguments` in `directory`, within a time limit scaled to the C
    /// sources it compiles; throws `ToolchainError.compileFailed` with the compiler's messages
    /// when it fails, `ToolchainError.timedOut` when it takes too long.
    @discardableResult
    public func compile(_ arguments: [String], in directory: String) throws -> ProcessRunner.Result {
        let sources = arguments.filter { $0.hasSuffix(".c") }.map {
            URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: directory)).path
        }
        let bytes = sources.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let result = try ProcessRunner.run(
            command[0], Array(command.dropFirst()) + arguments, in: directory,
            timeLimit: Self.timeLimit(sourceBytes: bytes))
        guard result.succeeded else {
            throw ToolchainError.compileFailed(
                command: (command + arguments).joined(separator: " "),
                output: (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }

    /// Seconds a compile of `sourceBytes` of C may take: a minute, plus a second per 50 KB
    /// (generous for gcc at -O2 on weight tables; a compile past it is stuck, not slow).
    public static func timeLimit(sourceBytes: Int) -> Double {
        60 + Double(sourceBytes) / 50_000
    }

    /// Flags every parity and CI compile uses: strict C99 and every warning an error, so a
    /// generated file that is not clean fails loudly.
    public static let strictFlags = ["-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]
}
