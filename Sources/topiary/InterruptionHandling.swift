import Dispatch
import Foundation
import Topiary
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT, SIGTERM and SIGHUP end topiary cleanly: the tools it runs are killed, its temporary
/// and staging folders removed (an output swap in progress finishes or rolls back first), one
/// line says what happened, and the exit status is the shell's 128 + signal number (130 for
/// SIGINT, 143 for SIGTERM, 129 for SIGHUP).
enum InterruptionHandling {
    /// Kept alive for the life of the process.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Replaces the default actions of the three signals by a handler that runs on a dispatch
    /// queue (not inside the signal), where removing folders and waiting for children is safe.
    static func install() {
        let queue = DispatchQueue(label: "topiary.interruption")
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                InterruptionCleanup.cleanUp()
                FileHandle.standardError.write(Data("topiary: stopped by \(name); running tools stopped, temporary files removed\n".utf8))
                _exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
