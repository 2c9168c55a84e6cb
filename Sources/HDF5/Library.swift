import CHDF5
import Foundation

/// Serializes every libhdf5 call: the serial build Debian ships is not thread-safe, and even
/// the thread-safe build takes one global lock.
enum Library {
    private static let lock = NSRecursiveLock()
    private static let initialized: Bool = {
        H5open()
        return true
    }()

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = initialized
        // Errors are collected with H5Ewalk2 and reported as HDF5Error, never printed. The
        // thread-safe build keeps this setting per thread, so it is made on every entry.
        _ = chdf5_silence_errors()
        let outermost = !CrashReport.insideLibrary
        CrashReport.insideLibrary = true
        defer { if outermost { CrashReport.insideLibrary = false } }
        return try body()
    }

    /// The messages of libhdf5's current error stack, innermost first; clears the stack.
    static func takeErrorMessages() -> [String] {
        var buffer = [CChar](repeating: 0, count: 4096)
        buffer.withUnsafeMutableBufferPointer { chdf5_collect_errors($0.baseAddress, $0.count) }
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return text.split(separator: "\n").map(String.init)
    }

    /// The version of the linked libhdf5, e.g. `1.10.8`.
    static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        chdf5_library_version(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }
}

/// Where an error arose, to attach to the `HDF5Error`s thrown while reading an object.
struct Location: Sendable {
    var file: String
    var object: String

    func child(_ name: String) -> Location {
        Location(file: file, object: object == "/" || object.isEmpty ? "/" + name : object + "/" + name)
    }

    func error(_ kind: HDF5Error.Kind, _ message: String, library: [String] = []) -> HDF5Error {
        HDF5Error(kind, file: file, object: object, message: message, libraryMessages: library)
    }

    /// Turns a negative identifier or status from libhdf5 into an `HDF5Error`.
    @discardableResult
    func check<T: BinaryInteger>(_ result: T, _ kind: HDF5Error.Kind, _ message: @autoclosure () -> String) throws -> T {
        if result < 0 {
            throw error(kind, message(), library: Library.takeErrorMessages())
        }
        return result
    }
}

/// Version of the libhdf5 this program is linked with.
public var hdf5LibraryVersion: String { Library.locked { Library.version } }
