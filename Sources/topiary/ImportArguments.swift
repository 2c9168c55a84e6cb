import ArgumentParser
import Topiary

/// Import options every command that reads a model takes.
struct ImportArguments: ParsableArguments {
    @Flag(help: "Accept weights that are NaN or infinite (refused by default, naming the layer).")
    var allowNonfinite = false

    @Option(
        help: ArgumentHelp(
            "Most bytes of weights a model may hold; raises the limits on its configuration and tensors with it (default 256 MiB).",
            valueName: "bytes"))
    var maxModelBytes: Int = ReadLimits.defaultModelBytes

    func validate() throws {
        guard maxModelBytes > 0 else { throw ValidationError("--max-model-bytes must be positive") }
    }

    var importer: KerasImporter { KerasImporter(allowNonfinite: allowNonfinite, limits: ReadLimits(modelBytes: maxModelBytes)) }
}
