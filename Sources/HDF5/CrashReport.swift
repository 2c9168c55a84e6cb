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
/// A crash anywhere else keeps its normal behaviour.
public enum CrashReport {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) static var insideLibrary = false
    private static let capacity = 4096

    /// Installs the handlers for SIGSEGV, SIGBUS, SIGILL and SIGFPE.
    public static func install() {
        guard message == nil else { return }
        message = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        messageLength = 0
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handle
            action.sa_flags = Int32(truncatingIfNeeded: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, nil)
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
            raise(signalNumber)  // SA_RESETHAND restored the default action.
            return
        }
        _ = write(2, message, CrashReport.messageLength)
        _exit(1)
    }
}
