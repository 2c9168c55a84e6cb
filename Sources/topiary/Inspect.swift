import ArgumentParser
import Topiary

extension TopiaryCommand {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a Keras model's layers, shapes and parameter counts.",
            discussion: "MODEL is a full-model .h5 (Keras 2 or 3), a .keras archive, or a weights-only file given with --config."
        )

        @Argument(help: "The Keras model: .h5, .keras, or a weights-only .h5 with --config.")
        var model: String

        @Option(help: "Architecture JSON (from model.to_json()) for a weights-only file.")
        var config: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @OptionGroup var importing: ImportArguments

        func run() throws {
            let graph = try importing.importer.importGraph(modelPath: model, configPath: config)
            let summary = ModelSummary(graph: graph)
            print(json ? try summary.json() : summary.table())
        }
    }
}
