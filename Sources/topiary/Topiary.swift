import ArgumentParser
import Foundation
import HDF5
import Topiary

@main
struct TopiaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topiary",
        abstract: "Prune, quantize and convert Keras models to dependency-free C99 for microcontrollers.",
        discussion: """
            Exit status: 0 on success, 1 when the model or a data file cannot be used \
            (the message says which file, layer or dataset and why), 2 for a usage error.
            """,
        version: Topiary.version,
        subcommands: [Inspect.self, Predict.self, Evaluate.self, Convert.self, Verify.self, Profile.self, Sensitivity.self]
    )

    /// Runs the command line, mapping failures to the documented exit statuses.
    static func main() {
        CrashReport.install()
        InterruptionHandling.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exitReporting(error)
        }
    }
}
