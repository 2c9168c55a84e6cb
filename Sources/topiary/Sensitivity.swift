import ArgumentParser
import Foundation
import Topiary

extension TopiaryCommand {
    struct Sensitivity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure each layer's top-1 accuracy against its sparsity, the other layers left intact.",
            discussion: """
                For every Dense and convolution layer and every sparsity of --sparsities, prunes \
                that layer alone (by --prune-method), compresses the model as the other options \
                ask (e.g. --quantize int8), and measures top-1 accuracy on --input/--labels. \
                Prints one row per layer and one column per sparsity; --svg also writes the \
                curves as an SVG line plot, one line per layer. Layers whose accuracy holds up \
                can take more sparsity than the others: --max-accuracy-drop and --flash-budget \
                (convert, evaluate) search that allocation from these curves.
                """
        )

        @Argument(help: "The Keras model: .h5, .keras, or a weights-only .h5 with --config.")
        var model: String

        @Option(help: "Architecture JSON (from model.to_json()) for a weights-only file.")
        var config: String?

        @OptionGroup var importing: ImportArguments

        @Option(
            name: .long, help: ArgumentHelp("Validation samples: X.npy or FILE.h5:DATASET (repeat for each model input).", valueName: "X"))
        var input: [String] = []

        @Option(
            name: .long, help: ArgumentHelp("Validation labels: Y.npy or FILE.h5:DATASET (class indices or one-hot rows).", valueName: "Y"))
        var labels: String

        @Flag(help: "Reshape samples whose element count matches the model input (e.g. flat 64-value rows for an 8x8x1 image).")
        var reshape = false

        @Option(help: ArgumentHelp("The sparsities to try for each layer.", valueName: "LIST"))
        var sparsities = "0.5,0.7,0.8,0.9,0.95"

        @Option(help: ArgumentHelp("Also write the curves as an SVG line plot to this file.", valueName: "FILE"))
        var svg: String?

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        @Flag(help: "Print the table's figures as JSON on standard output; messages go to standard error.")
        var json = false

        func validate() throws {
            guard !input.isEmpty else { throw ValidationError("give the validation samples with --input X.npy") }
            if compression.sparsity != nil || compression.pattern != nil {
                throw ValidationError("sensitivity varies each layer's sparsity itself; drop --sparsity and --pattern")
            }
            _ = try SparsityList.parse(sparsities, option: "--sparsities")
        }

        func run() throws {
            Console.jsonOutput = json
            let graph = try importing.importer.importGraph(modelPath: model, configPath: config)
            let validation = try ValidationSet(
                inputs: input.map(ArrayFile.load), labels: ArrayFile.load(labels), for: graph,
                reshape: reshape, labelsName: labels)
            let progress = TerminalProgress.make()
            defer { progress?.clear() }
            let curves = try SensitivityAnalysis.run(
                graph, options: compression.options, calibration: compression.calibrationSamples(for: graph),
                validation: validation, sparsities: SparsityList.parse(sparsities, option: "--sparsities"),
                format: compression.format, goal: compression.optimize, progress: TerminalProgress.reporter(progress))
            progress?.clear()
            var method = "\(compression.method.rawValue) pruning"
            if compression.quantize != .none { method += ", \(compression.quantize.rawValue)" }
            let report = SensitivityReport(curves: curves, method: method)
            if json { try Console.json(report.document) } else { print(report.table()) }
            if let svg {
                do {
                    try report.svg().write(toFile: svg, atomically: true, encoding: .utf8)
                } catch {
                    throw ValidationError("cannot write the plot to \(svg): \(error.localizedDescription)")
                }
                Console.say("wrote \(svg)")
            }
        }
    }
}
