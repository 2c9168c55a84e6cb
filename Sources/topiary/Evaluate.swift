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

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        @OptionGroup(title: "Budget") var budget: BudgetArguments

        func validate() throws {
            guard outputIndex >= 0 else { throw ValidationError("--output-index must be 0 or more") }
        }

        func run() throws {
            let truth = try ArrayFile.load(labels)
            let compression =
                budget.budget == nil
                ? compression
                : try compression.searching(
                    budget, graph: data.importing.importer.importGraph(modelPath: data.model, configPath: data.config),
                    inputs: data.input, labels: labels, reshape: data.reshape, output: outputIndex)
            if !compression.isEmpty {
                let (graph, float, compressed) = try data.predictCompressed(compression)
                guard outputIndex < float.count else {
                    throw ValidationError("--output-index \(outputIndex) is out of range: the model has \(graph.outputs.count) output(s)")
                }
                let before = try Evaluation.score(predictions: float[outputIndex], labels: truth, labelsName: labels)
                let after = try Evaluation.score(predictions: compressed[outputIndex], labels: truth, labelsName: labels)
                print("float:      \(before)")
                print("compressed: \(after)  (\(compression.recorded))")
                if case let .accuracy(a, n) = before, case let .accuracy(b, _) = after, n > 0 {
                    print("change:     \(Double(((Double(b - a) / Double(n)) * 10000).rounded()) / 100) points")
                }
                return
            }
            let (engine, outputs) = try data.predict()
            guard outputIndex < outputs.count else {
                throw ValidationError("--output-index \(outputIndex) is out of range: the model has \(engine.outputNames.count) output(s)")
            }
            print(try Evaluation.score(predictions: outputs[outputIndex], labels: truth, labelsName: labels))
        }
    }
}
