import ArgumentParser
import Topiary

/// Import options every command that reads a model takes.
struct ImportArguments: ParsableArguments {
    @Flag(help: "Accept weights that are NaN or infinite (refused by default, naming the layer).")
    var allowNonfinite = false

    var importer: KerasImporter { KerasImporter(allowNonfinite: allowNonfinite) }
}
