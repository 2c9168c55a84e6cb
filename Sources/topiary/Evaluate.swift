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
                datasets written FILE.h5:DATASET, with samples along the first axis. With \
                compression options, prints the float and the compressed model's scores, the \
                change, and how far the compressed model is from the float one (top-1 agreement, \
                cosine, SNR, largest error).
                """
        )

        @OptionGroup var data: ModelDataOptions

        @Option(name: .long, help: ArgumentHelp("Labels: Y.npy or FILE.h5:DATASET.", valueName: "Y"))
        var labels: String

        @Option(name: .long, help: "Which model output the labels are for, for models with several outputs.")
        var outputIndex = 0

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        @OptionGroup(title: "Budget") var budget: BudgetArguments

        @Flag(help: "Print the scores as JSON on standard output; messages go to standard error.")
        var json = false

        func validate() throws {
            guard outputIndex >= 0 else { throw ValidationError("--output-index must be 0 or more") }
        }

        func run() throws {
            Console.jsonOutput = json
            let truth = try ArrayFile.load(labels)
            let compression =
                budget.budget == nil
                ? compression
                : try compression.searching(
                    budget, graph: data.importGraph(),
                    inputs: data.input, labels: labels, reshape: data.reshape, output: outputIndex)
            if !compression.isEmpty {
                let (graph, float, compressed) = try data.predictCompressed(compression)
                guard outputIndex < float.count else {
                    throw ValidationError("--output-index \(outputIndex) is out of range: the model has \(graph.outputs.count) output(s)")
                }
                let before = try Evaluation.score(predictions: float[outputIndex], labels: truth, labelsName: labels)
                let after = try Evaluation.score(predictions: compressed[outputIndex], labels: truth, labelsName: labels)
                let fidelity = try FidelityReport(
                    original: graph, float: float, compressed: compressed,
                    data: data.input.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", "),
                    labels: truth, labelledOutput: outputIndex, labelsName: labels)
                let report = EvaluationReport(float: before, compressed: after, options: compression.recorded, fidelity: fidelity)
                if json { return try Console.json(report) }
                print("float:      \(before)")
                print("compressed: \(after)  (\(compression.recorded))")
                if let change = report.change { print("change:     \(String(format: "%+.2f", change)) points") }
                print(fidelity)
                return
            }
            let (engine, outputs) = try data.predict()
            guard outputIndex < outputs.count else {
                throw ValidationError("--output-index \(outputIndex) is out of range: the model has \(engine.outputNames.count) output(s)")
            }
            let score = try Evaluation.score(predictions: outputs[outputIndex], labels: truth, labelsName: labels)
            if json { return try Console.json(EvaluationReport(float: score)) }
            print(score)
        }
    }
}
