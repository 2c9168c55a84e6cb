import ArgumentParser
import Foundation
import Topiary

extension TopiaryCommand {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a Keras model on data with Topiary's float reference inference.",
            discussion: """
                Each input array holds samples along its first axis, as a .npy file or an HDF5 \
                dataset written FILE.h5:DATASET. A model with several inputs takes one --input per \
                model input, in the model's input order.

                With --output, the float32 outputs, shaped [samples, ...], are written as .npy. A \
                model with several outputs writes one file per output, with _0, _1, ... added \
                before the extension (--output y.npy writes y_0.npy, y_1.npy, ...). Without \
                --output, each sample's argmax and scores are printed.
                """
        )

        @OptionGroup var data: ModelDataOptions

        @Option(name: .long, help: ArgumentHelp("Write the outputs to this .npy file (float32).", valueName: "Y.npy"))
        var output: String?

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        @Flag(help: "Print each sample's argmax (and scores, without --output) as JSON on standard output.")
        var json = false

        func run() throws {
            Console.jsonOutput = json
            let (names, outputs): ([String], [NDArray])
            if compression.isEmpty {
                let (engine, floatOutputs) = try data.predict()
                (names, outputs) = (engine.outputNames, floatOutputs)
            } else {
                let (graph, _, compressed) = try data.predictCompressed(compression)
                (names, outputs) = (graph.outputs.map { graph.nodes[$0].name }, compressed)
            }
            if let output {
                let paths = Self.outputPaths(output, count: outputs.count)
                for (path, array) in zip(paths, outputs) {
                    try NpyFile.write(array, to: path)
                    Console.say("wrote \(path) \(array.shape)")
                }
                if json { try Console.json(PredictionSummary(outputs: outputs, names: names, files: paths)) }
            } else if json {
                try Console.json(PredictionSummary(outputs: outputs, names: names))
            } else {
                print(Self.report(outputs, names: names))
            }
        }

        /// `path` itself for one output; `stem_0.ext`, `stem_1.ext`, … for several.
        static func outputPaths(_ path: String, count: Int) -> [String] {
            guard count > 1 else { return [path] }
            let url = URL(fileURLWithPath: path)
            let ext = url.pathExtension
            let stem = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
            return (0..<count).map { ext.isEmpty ? "\(stem)_\($0)" : "\(stem)_\($0).\(ext)" }
        }

        /// One line per sample (and output): the argmax and the scores.
        static func report(_ outputs: [NDArray], names: [String]) -> String {
            var lines: [String] = []
            let samples = outputs.first?.sampleCount ?? 0
            for sample in 0..<samples {
                for (index, array) in outputs.enumerated() {
                    let scores = array.sample(sample).values
                    let best = Evaluation.argmaxes(scores, classes: scores.count).first ?? 0
                    let label = outputs.count > 1 ? "\(sample) \(names[index])" : "\(sample)"
                    let list = scores.map { String($0) }.joined(separator: " ")
                    lines.append("\(label): argmax \(best)  scores [\(list)]")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
