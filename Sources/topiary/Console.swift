import Foundation
import Topiary

/// Where the commands' messages go: standard output, except under `--json`, where standard
/// output carries the JSON document alone and every message moves to standard error.
enum Console {
    /// Set once by a command that prints JSON, before it does any work.
    nonisolated(unsafe) static var jsonOutput = false

    /// A message for the reader: standard output, or standard error under `--json`.
    static func say(_ text: String) {
        if jsonOutput {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            print(text)
        }
    }

    /// A warning, always on standard error.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data(("warning: " + text + "\n").utf8))
    }

    /// The JSON document, alone on standard output.
    static func json(_ value: some Encodable) throws {
        print(try JSONReport.encode(value))
    }
}
