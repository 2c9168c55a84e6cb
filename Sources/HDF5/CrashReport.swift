#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a crash inside libhdf5 into one error line and exit status 1.
///
/// libhdf5 trusts some of what a file says (a damaged global heap makes `H5HG_read` copy past
/// its buffer), so a damaged file can crash the process in the middle of a library call, where
/// no error can be returned. A command-line tool calls `install()` once; when a fatal signal
/// arrives while libhdf5 is reading a file, the handler prints
/// `error: FILE: the HDF5 library crashed reading this file; it is damaged` and exits 1.
/// A crash anywhere else keeps its normal behaviour: the handler that was installed before
/// (Swift's own crash report, or the default action) takes the signal. SIGILL and SIGTRAP,
/// which Swift's traps (overflow, a failed precondition) raise, are never taken over.
public enum CrashReport {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) static var insideLibrary = false
    /// The actions in place before `install()`, indexed by signal number, restored for a crash
    /// outside libhdf5.
    nonisolated(unsafe) private static var previous: UnsafeMutablePointer<sigaction>?
    private static let capacity = 4096
    private static let signals = [SIGSEGV, SIGBUS, SIGFPE]

    /// Installs the handlers for SIGSEGV, SIGBUS and SIGFPE, the signals a C library's bad
    /// memory access or arithmetic raises.
    public static func install() {
        guard message == nil else { return }
        message = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        messageLength = 0
        let saved = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))
        saved.initialize(repeating: sigaction(), count: Int(NSIG))
        previous = saved
        for signalNumber in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handle
            action.sa_flags = Int32(truncatingIfNeeded: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, saved + Int(signalNumber))
        }
    }

    /// Records the file being read, for the message. Called with the library lock held.
    static func noteReading(_ path: String) {
        guard let message else { return }
        let text = Array("error: \(path): the HDF5 library crashed reading this file; it is damaged\n".utf8.prefix(capacity))
        for (index, byte) in text.enumerated() { message[index] = CChar(bitPattern: byte) }
        messageLength = text.count
    }

    private static let handle: @convention(c) (Int32) -> Void = { signalNumber in
        // Only async-signal-safe calls here: write(2) and _exit(2).
        guard CrashReport.insideLibrary, let message = CrashReport.message, CrashReport.messageLength > 0 else {
            // Not libhdf5's: give the signal back to whoever had it. Returning re-runs the
            // faulting instruction, which raises it again under the restored action.
            if let previous = CrashReport.previous { sigaction(signalNumber, previous + Int(signalNumber), nil) }
            return
        }
        _ = write(2, message, CrashReport.messageLength)
        _exit(1)
    }
}
