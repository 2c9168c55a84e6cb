import ArgumentParser
import Topiary

@main
struct TopiaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topiary",
        abstract: "Prune, quantize and convert Keras models to dependency-free C99 for microcontrollers.",
        version: Topiary.version,
        subcommands: []
    )
}
