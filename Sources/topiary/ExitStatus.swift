import ArgumentParser
import Foundation

/// Exit statuses documented in the README and `topiary --help`.
enum ExitStatus: Int32 {
    case success = 0
    /// The model or a data file cannot be used.
    case failure = 1
    /// The command line is wrong.
    case usage = 2
}

/// Prints `error` to standard error and exits: argument-parser's own help and version exits
/// keep their status, its usage errors exit 2, everything else (a library error that says
/// what is wrong with which file) exits 1.
func exitReporting(_ error: Error) -> Never {
    if error is CleanExit || error is ExitCode {
        TopiaryCommand.exit(withError: error)
    }
    let parserStatus = TopiaryCommand.exitCode(for: error)
    if parserStatus == .validationFailure {
        FileHandle.standardError.write(Data((TopiaryCommand.fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.usage.rawValue)
    }
    if parserStatus != .failure {
        TopiaryCommand.exit(withError: error)
    }
    FileHandle.standardError.write(Data(("error: " + String(describing: error) + "\n").utf8))
    Foundation.exit(ExitStatus.failure.rawValue)
}
