import Foundation

/// One line of progress on standard error, rewritten in place, for the slow steps (OBS
/// Hessians, sensitivity trials, budget search moves). Only when standard error is a
/// terminal: logs and pipes stay free of carriage returns and escape codes.
final class TerminalProgress {
    /// A reporter, or nil when standard error is not a terminal.
    static func make() -> TerminalProgress? {
        isatty(STDERR_FILENO) != 0 ? TerminalProgress() : nil
    }

    private var shown = false

    /// Replaces the line with `message` (cut to fit a narrow terminal).
    func report(_ message: String) {
        let text = message.count > 110 ? String(message.prefix(109)) + "…" : message
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        shown = true
    }

    /// Removes the line, before results are printed.
    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }

    /// `report` as a closure for the library, or nil.
    static func reporter(_ progress: TerminalProgress?) -> ((String) -> Void)? {
        progress.map { p in { p.report($0) } }
    }
}
