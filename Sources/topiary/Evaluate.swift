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

        @OptionGroup var data: ModelDataOptions

        @Option(name: .long, help: ArgumentHelp("Labels: Y.npy or FILE.h5:DATASET.", valueName: "Y"))
        var labels: String

        @Option(name: .long, help: "Which model output the labels are for, for models with several outputs.")
        var outputIndex = 0

        func validate() throws {
            guard outputIndex >= 0 else { throw ValidationError("--output-index must be 0 or more") }
        }

        func run() throws {
            let truth = try ArrayFile.load(labels)
            let (engine, outputs) = try data.predict()
            guard outputIndex < outputs.count else {
                throw ValidationError("--output-index \(outputIndex) is out of range: the model has \(engine.outputNames.count) output(s)")
            }
            print(try Evaluation.score(predictions: outputs[outputIndex], labels: truth, labelsName: labels))
        }
    }
}
