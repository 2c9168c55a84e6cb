import ArgumentParser
import Topiary

extension TopiaryCommand {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a Keras model on labelled data with Topiary's float reference inference.",
            discussion: """
                Prints top-1 accuracy for a classifier (labels as integer classes, one per sample, \
                or one-hot rows) and the mean absolute error for a regression model (output width 1, \
                or float labels with the output's shape). Inputs and labels are .npy files or HDF5 \
                datasets written FILE.h5:DATASET, with samples along the first axis.
                """
        )

        @Argument(help: "The Keras model: .h5, .keras, or a weights-only .h5 with --config.")
        var model: String

        @Option(help: "Architecture JSON (from model.to_json()) for a weights-only file.")
        var config: String?

        @Option(name: .long, help: ArgumentHelp("Input samples: X.npy or FILE.h5:DATASET (repeat for each model input).", valueName: "X"))
        var input: [String] = []

        @Option(name: .long, help: ArgumentHelp("Labels: Y.npy or FILE.h5:DATASET.", valueName: "Y"))
        var labels: String

        @Option(name: .long, help: "Which model output the labels are for, for models with several outputs.")
        var outputIndex = 0

        @Flag(help: "Reshape samples whose element count matches the model input (e.g. flat 64-value rows for an 8x8x1 image).")
        var reshape = false

        func validate() throws {
            guard !input.isEmpty else { throw ValidationError("give the input samples with --input X.npy") }
            guard outputIndex >= 0 else { throw ValidationError("--output-index must be 0 or more") }
        }

        func run() throws {
            let graph = try KerasImporter().importGraph(modelPath: model, configPath: config)
            let engine = try FloatInference(graph: graph)
            guard outputIndex < graph.outputs.count else {
                throw ValidationError("--output-index \(outputIndex) is out of range: the model has \(graph.outputs.count) output(s)")
            }
            let arrays = try input.map(ArrayFile.load)
            let truth = try ArrayFile.load(labels)
            let outputs = try engine.predict(arrays, sources: input, reshape: reshape)
            let result = try Evaluation.score(predictions: outputs[outputIndex], labels: truth, labelsName: labels)
            print(result)
        }
    }
}
