import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs an external program (a C compiler, `arm-none-eabi-size`, a compiled driver) and
/// collects what it printed.
///
/// The program runs in a process group of its own, registered with `InterruptionCleanup`: the
/// whole group (a compiler driver and the `cc1` and `as` it starts) is killed when the run
/// exceeds its time limit or when topiary is interrupted.
public enum ProcessRunner {
    /// How a run ended.
    public struct Result: Equatable, Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` in
    /// `directory`, and waits for it, at most `timeLimit` seconds when one is given. Throws
    /// `ToolchainError.notFound` when there is no such program and `ToolchainError.timedOut`
    /// when it ran out of time (it is killed then, with everything it started).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        timeLimit: Double? = nil
    ) throws -> Result {
        guard let path = ExecutableSearch.find(executable) else {
            throw ToolchainError.notFound(executable)
        }
        // Close-on-exec, so that a tool another thread starts meanwhile does not inherit the
        // write ends and hold these pipes open after this tool has exited.
        var output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { throw ToolchainError.cannotStart(executable, reason: String(cString: strerror(errno))) }
        guard pipe(&errors) == 0 else {
            close(output[0]); close(output[1])
            throw ToolchainError.cannotStart(executable, reason: String(cString: strerror(errno)))
        }
        for fd in output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let child: pid_t
        do {
            child = try spawn(path, arguments, in: directory, stdout: output[1], stderr: errors[1])
        } catch {
            for fd in output + errors { close(fd) }
            throw ToolchainError.cannotStart(executable, reason: "\(error)")
        }
        close(output[1])
        close(errors[1])
        let token = InterruptionCleanup.register(processGroup: child)
        defer { InterruptionCleanup.forget(token) }

        // Both pipes drain on their own threads so neither can fill and stall the child.
        let stdout = PipeReader(FileHandle(fileDescriptor: output[0], closeOnDealloc: true))
        let stderr = PipeReader(FileHandle(fileDescriptor: errors[0], closeOnDealloc: true))
        let exit = ExitWaiter(child)
        guard exit.wait(seconds: timeLimit) else {
            kill(-child, SIGKILL)
            _ = exit.wait(seconds: nil)
            _ = (stdout.wait(), stderr.wait())
            throw ToolchainError.timedOut(executable, seconds: timeLimit ?? 0)
        }
        // Whatever the program left running in its group goes with it.
        kill(-child, SIGKILL)
        let status = exit.status
        let signaled = status & 0x7F != 0
        return Result(
            status: signaled ? 128 + (status & 0x7F) : (status >> 8) & 0xFF,
            stdout: String(decoding: stdout.wait(), as: UTF8.self),
            stderr: String(decoding: stderr.wait(), as: UTF8.self))
    }

    /// Starts `path` in a new process group with standard input from /dev/null.
    private static func spawn(_ path: String, _ arguments: [String], in directory: String?, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The child starts with default signal actions and nothing blocked, whatever topiary set.
        var defaults = sigset_t(), none = sigset_t()
        sigfillset(&defaults)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)

        // posix_spawn has no portable way to change directory: a shell does it, then becomes the program.
        let program = directory == nil ? path : "/bin/sh"
        let words = directory.map { ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", $0, path] + arguments } ?? [path] + arguments
        let argv = words.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, program, &actions, &attributes, argv, environ)
        guard status == 0 else { throw ToolchainError.cannotStart(path, reason: String(cString: strerror(status))) }
        return child
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        done.signal()
        return data
    }
}

/// Waits for a child's exit on a background thread, so the caller can wait with a time limit.
private final class ExitWaiter: @unchecked Sendable {
    private(set) var status: Int32 = 0
    private let done = DispatchSemaphore(value: 0)

    init(_ child: pid_t) {
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            self.status = status
            done.signal()
        }
    }

    /// True when the child exited within `seconds` (or at all, when nil).
    func wait(seconds: Double?) -> Bool {
        guard let seconds else {
            done.wait()
            done.signal()
            return true
        }
        guard done.wait(timeout: .now() + seconds) == .success else { return false }
        done.signal()
        return true
    }
}
