import ArgumentParser
import Foundation
import Topiary

extension TopiaryCommand {
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a Keras model to dependency-free C99: NAME.h, NAME.c and the kernel headers they use.",
            discussion: """
                Writes DIR/NAME.h, DIR/NAME.c and the kernel headers from include/topiary/ they \
                need, so DIR alone builds in a firmware project (C99, link with -lm). The header \
                declares int NAME_predict(const float *input, float *output) (0 on success) for \
                single-input models, NAME_predict_multi for any model, their reentrant _arena \
                forms that take the caller's memory, and the macros NAME_INPUT_SIZE, \
                NAME_OUTPUT_SIZE, NAME_ARENA_BYTES and NAME_ARENA_ALIGN. Files are written all at \
                once: on error nothing is left behind and existing files are untouched.

                Prints flash and RAM figures: measured with arm-none-eabi-size on the model \
                compiled at -Os for the --target core (a Cortex-M4 without FPU by default) when \
                the ARM toolchain is installed, otherwise computed from the weight and arena sizes.

                With compression options, also prints how far the compressed model is from the \
                float model (top-1 agreement, accuracy with --labels, cosine, SNR, largest error) \
                on --input, or else on the calibration samples, and warns on standard error when \
                agreement falls below 98% or the SNR below 20 dB. --json prints all of it as JSON.
                """
        )

        @Argument(help: "The Keras model: .h5, .keras, or a weights-only .h5 with --config.")
        var model: String

        @Option(
            name: [.short, .customLong("output")],
            help: ArgumentHelp("Folder to write the C files into (created if missing).", valueName: "DIR"))
        var output: String

        @Option(help: "Architecture JSON (from model.to_json()) for a weights-only file.")
        var config: String?

        @OptionGroup var importing: ImportArguments

        @OptionGroup var conversion: ConversionArguments

        @Option(
            help: ArgumentHelp(
                "Also write what a build system needs to build the files as a library: cmake (CMakeLists.txt), arduino (library.properties, C under src/), platformio (library.json) or zephyr (zephyr/module.yml, CMakeLists.txt, Kconfig).",
                valueName: "system"))
        var package: BuildPackage?

        @OptionGroup(title: "Compression") var compression: CompressionArguments

        @OptionGroup(title: "Budget") var budget: BudgetArguments

        @OptionGroup(title: "Validation data") var validation: ValidationDataArguments

        @Flag(help: "Print the report as JSON on standard output; messages and warnings go to standard error.")
        var json = false

        func validate() throws {
            // An empty path would otherwise resolve to the current folder.
            guard !output.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--output needs a folder; an empty name does not name one")
            }
            try validation.check()
            if !validation.input.isEmpty, budget.budget == nil, compression.isEmpty {
                throw ValidationError(
                    "--input and --labels measure the compressed model against the float model (and a budget's search); add compression options or drop them"
                )
            }
        }

        func run() throws {
            Console.jsonOutput = json
            let started = Date()
            let graph = try importing.importer.importGraph(modelPath: model, configPath: config)
            let source = try SourceDescription(modelPath: model, configPath: config)
            let compression = try compression.searching(
                budget, graph: graph, inputs: validation.input, labels: validation.labels,
                reshape: validation.reshape)
            let converter = try compression.converter(conversion.options, source: source)
            let calibration = try compression.calibrationSamples(for: graph)
            let training = try compression.fineTuning.data(for: graph, calibration: compression.calibration)
            let progress = TerminalProgress.make()
            defer { progress?.clear() }
            let converted = try converter.convert(
                graph, calibration: calibration, fineTuningSamples: training.samples,
                fineTuningLabels: training.labels, progress: TerminalProgress.reporter(progress))
            progress?.clear()
            compression.printOutcome(converted.compressed)

            let generated = converted.model
            let written = try OutputFolder.write(try package?.files(for: generated) ?? generated.files, to: output)
            let seconds = Date().timeIntervalSince(started)
            let (fidelity, fidelityNote) =
                compression.isEmpty
                ? (nil, nil) : try measureFidelity(graph, converted.graph, calibration: calibration, compression: compression)
            var warnings: [String] = []
            if let fidelity, let warning = compression.fidelityWarning(fidelity) { warnings.append(warning) }
            let footprint = Footprint.of(generated, measure: conversion.measureSize, target: conversion.target)
            if json {
                try Console.json(
                    ConversionReport(
                        model: generated, files: written, footprint: footprint,
                        compression: converted.report.map { ConversionReport.Compression($0, options: compression.recorded) },
                        removedChannels: converted.compressed.channelPruning?.removed.mapValues(\.count) ?? [:],
                        unreadChannels: converted.compressed.unreadChannels,
                        fidelity: fidelity, fidelityNote: fidelityNote, warnings: warnings, seconds: seconds))
            } else {
                let headers = generated.files.count - 2
                print("wrote \(written[0]), \(written[1]) and \(headers) kernel header\(headers == 1 ? "" : "s")")
                if let package {
                    print("packaged for \(package.rawValue): \(written.dropFirst(generated.files.count).joined(separator: ", "))")
                }
                if !generated.floatLayers.isEmpty {
                    print("computed in float inside the int8 model: \(generated.floatLayers.joined(separator: ", "))")
                }
                if let report = converted.report { print(report.table(title: "Compression (\(compression.recorded)):")) }
                for cap in converted.compressed.globalRankingCaps {
                    print("capped: \(cap.description), so that every layer and output channel keeps weights")
                }
                if let fidelity { print(fidelity) }
                if let fidelityNote { print(fidelityNote) }
                print(Self.report(generated, footprint))
            }
            for warning in warnings { Console.warn(warning) }
        }

        /// How far the compressed graph is from the float one: on `--input` (with `--labels`)
        /// when given, else on the calibration samples; a note when neither is at hand.
        private func measureFidelity(
            _ graph: Graph, _ compressed: Graph, calibration: [[Tensor]]?, compression: CompressionArguments
        ) throws -> (FidelityReport?, String?) {
            if !validation.input.isEmpty {
                return (
                    try FidelityReport.measure(
                        original: graph, compressed: compressed, arrays: validation.input.map(ArrayFile.load),
                        sources: validation.input, reshape: validation.reshape,
                        labels: validation.labels.map(ArrayFile.load), labelsName: validation.labels ?? "labels"),
                    nil
                )
            }
            if let calibration, !calibration.isEmpty {
                let files = compression.calibration.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
                let data = "calibration samples of \(files.joined(separator: ", "))"
                return (try FidelityReport.measure(original: graph, compressed: compressed, samples: calibration, data: data), nil)
            }
            return (nil, "fidelity not measured: no data at hand; give --input X.npy (and --labels Y.npy) to compare with the float model")
        }

        /// The flash, RAM and arena lines.
        static func report(_ model: GeneratedModel, _ footprint: Footprint) -> String {
            var lines: [String] = []
            switch footprint.method {
            case let .measured(command):
                lines.append(
                    "flash: \(footprint.flashBytes) bytes (text \(footprint.text ?? 0), rodata \(footprint.rodata), data \(footprint.data))"
                )
                lines.append("RAM:   \(footprint.ramBytes) bytes (bss \(footprint.bss), data \(footprint.data))")
                lines.append("       measured with arm-none-eabi-size on `\(command) -c \(model.name).c`")
            case let .computed(reason):
                lines.append("flash: \(footprint.rodata) bytes of weights, plus code")
                lines.append("RAM:   \(footprint.bss) bytes of activation arena")
                lines.append("       computed, not measured: \(reason)")
            }
            let constants =
                switch model.precision {
                case .float32: "weights: \(model.weightBytes) bytes in \(model.weights.count) arrays, dense float32"
                case .int8: "constant data: \(model.weightBytes) bytes (weights, indices, biases, multipliers, tables)"
                }
            lines.append("arena: \(model.arenaBytes) bytes planned (\(model.unsharedArenaBytes) with one buffer per tensor); \(constants)")
            return lines.joined(separator: "\n")
        }
    }
}
