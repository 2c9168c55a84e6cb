import ArgumentParser
import Topiary

/// The arguments `predict`, `evaluate`, `verify` and `profile` share: the model and the input
/// samples to run it on.
struct ModelDataOptions: ParsableArguments {
    @Argument(help: "The Keras model: .h5, .keras, or a weights-only .h5 with --config.")
    var model: String

    @Option(help: "Architecture JSON (from model.to_json()) for a weights-only file.")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Input samples: X.npy or FILE.h5:DATASET (repeat for each model input).", valueName: "X"))
    var input: [String] = []

    @Flag(help: "Reshape samples whose element count matches the model input (e.g. flat 64-value rows for an 8x8x1 image).")
    var reshape = false

    @OptionGroup var importing: ImportArguments

    func validate() throws {
        guard !input.isEmpty else { throw ValidationError("give the input samples with --input X.npy") }
    }

    /// The model, imported as the import options say.
    func importGraph() throws -> Graph {
        try importing.importer.importGraph(modelPath: model, configPath: config)
    }

    /// The input samples, one array per model input.
    func loadInputs() throws -> [NDArray] {
        try input.map(ArrayFile.load)
    }

    /// Imports the model, runs every input sample through the float reference of the model as
    /// an uncompressed conversion's C computes it (BatchNorms folded, ReLUs fused:
    /// `CompressionPipeline` without options), and returns the engine with one array per model
    /// output.
    func predict() throws -> (engine: FloatInference, outputs: [NDArray]) {
        let engine = try FloatInference(graph: CompressionPipeline.run(importGraph(), options: CompressionOptions()).graph)
        let arrays = try loadInputs()
        return (engine, try engine.predict(arrays, sources: input, reshape: reshape))
    }
}
