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

    /// Runs the compiler with `arguments` in `directory`; throws `ToolchainError.compileFailed`
    /// with the compiler's messages when it fails.
    @discardableResult
    public func compile(_ arguments: [String], in directory: String) throws -> ProcessRunner.Result {
        let result = try ProcessRunner.run(command[0], Array(command.dropFirst()) + arguments, in: directory)
        guard result.succeeded else {
            throw ToolchainError.compileFailed(command: (command + arguments).joined(separator: " "),
                                               output: (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }

    /// Flags every parity and CI compile uses: strict C99 and every warning an error, so a
    /// generated file that is not clean fails loudly.
    public static let strictFlags = ["-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]
}
