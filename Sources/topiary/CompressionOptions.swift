import ArgumentParser
import Foundation
import Topiary

/// The compression options `convert`, `verify`, `evaluate` and `predict` share, so that each
/// command compresses a model exactly as the others do.
struct CompressionArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Magnitude pruning: a fraction of zeros for every Dense/convolution kernel (0.8), or per Keras layer (fc1=0.9,fc2=0.5).",
            valueName: "S"))
    var sparsity: String?

    @Option(help: "Rank weights within each layer, or all layers together by raw |w| (global).")
    var pruneScope: PruningScope = .layer

    @Option(
        help: ArgumentHelp(
            "N:M pruning: keep the N largest of every M consecutive input weights of each output channel, e.g. 2:4.",
            valueName: "N:M"))
    var pattern: String?

    @Option(
        help: ArgumentHelp(
            "Structured pruning: remove this fraction of the output channels with the smallest L1 norm from every Dense/Conv layer whose consumers can shrink (0.3), or per layer (conv1=0.5).",
            valueName: "F"))
    var pruneChannels: String?

    @Option(
        help:
            "Which weights pruning removes: the smallest (magnitude), or, on the calibration data, those whose removal costs least, with the weights kept updated to make up for them (obs, optimal brain surgeon). Default: obs when --calibration is given (magnitude with --pattern), else magnitude."
    )
    var pruneMethod: PruneMethod?

    /// The method asked for, or the default for the data at hand.
    var method: PruneMethod {
        pruneMethod ?? PruneMethod.defaultMethod(hasCalibration: !calibration.isEmpty, hasPattern: pattern != nil)
    }

    @Flag(
        help:
            "After pruning, refit each layer's remaining weights and bias to its unpruned outputs on the calibration data (needs --calibration)."
    )
    var reconstruct = false

    @Option(
        help: "Quantization: none, int8 (weights and activations, integer arithmetic) or int8-weights (int8 storage, float arithmetic).")
    var quantize: QuantizationMode = .none

    @Option(help: ArgumentHelp("Calibration samples for int8: X.npy or FILE.h5:DATASET (repeat for each model input).", valueName: "X"))
    var calibration: [String] = []

    @Option(help: ArgumentHelp("Use only the first N calibration samples.", valueName: "N"))
    var calibrationSamples: Int?

    @Option(help: "How calibration turns activations into int8 ranges.")
    var calibrationMethod: CalibrationMethod = .minmax

    @Option(
        help:
            "How int8 weights are rounded: each to the nearest step, or compensated: one input at a time, the weights not yet rounded (and the bias) updated to cancel the rounding error on the calibration data."
    )
    var weightRounding: WeightRounding = .nearest

    @Flag(
        help:
            "For int8: add to each layer's int32 bias the mean error that rounding its weights causes on the calibration samples, layer by layer."
    )
    var biasCorrection = false

    @Option(
        help:
            "Storage of int8 weights: the smallest per layer (auto), or one format everywhere (an N:M format where the weights have the pattern)."
    )
    var format: FormatChoice = .auto

    @Option(
        help:
            "What --format auto weighs per layer: the fewest estimated Cortex-M4 instructions (speed), the fewest bytes (size), or the fewest bytes that are no slower than dense unless they save three quarters of the layer (balanced)."
    )
    var optimize: OptimizationGoal = .balanced

    @OptionGroup(title: "Fine-tuning") var fineTuning: FineTuningArguments

    func validate() throws {
        do {
            try options.pruning.validate()
        } catch let error as CompressionError {
            throw ValidationError(error.description)
        }
        if quantize == .int8, calibration.isEmpty {
            throw ValidationError("--quantize int8 needs calibration samples: give --calibration X.npy (e.g. 200 training samples)")
        }
        if reconstruct || method == .obs, calibration.isEmpty {
            throw ValidationError("--reconstruct and --prune-method obs work on calibration samples: give --calibration X.npy")
        }
        // --prune-method obs without a sparsity is allowed: budgets and `sensitivity` choose it.
        if reconstruct, sparsity == nil, pattern == nil {
            throw ValidationError("--reconstruct acts on the weights pruning removes; give --sparsity or --pattern")
        }
        if method == .obs, pattern != nil {
            throw ValidationError("--prune-method obs does not take an N:M pattern; use --prune-method magnitude with --pattern")
        }
        if weightRounding != .nearest, quantize != .int8 {
            throw ValidationError("--weight-rounding compensated rounds int8 weights: add --quantize int8 --calibration X.npy")
        }
        if biasCorrection, quantize != .int8 {
            throw ValidationError("--bias-correction adjusts int8 biases: add --quantize int8 --calibration X.npy")
        }
        if let calibrationSamples, calibrationSamples < 1 {
            throw ValidationError("--calibration-samples must be 1 or more")
        }
        if method == .magnitude, calibration.isEmpty, let highest = try highestSparsity,
            highest > PruneMethod.magnitudeWarningSparsity
        {
            Console.warn(
                "magnitude pruning to \(String(format: "%g", highest * 100))% without calibration data can cost much accuracy; give --calibration X.npy (a few hundred training samples) so that pruning uses OBS"
            )
        }
    }

    /// The largest fraction `--sparsity` asks of any layer.
    private var highestSparsity: Double? {
        get throws {
            switch try sparsity.map({ try SparsityTarget(parsing: $0) }) {
            case let .uniform(fraction): fraction
            case let .perLayer(fractions): fractions.values.max()
            case nil: nil
            }
        }
    }

    /// The options for the library's `CompressionPipeline`.
    var options: CompressionOptions {
        get throws {
            CompressionOptions(
                pruning: PruningOptions(
                    target: try sparsity.map { try SparsityTarget(parsing: $0) }, scope: pruneScope,
                    pattern: try pattern.map { try SparsityPattern(parsing: $0) }),
                channelPruning: try pruneChannels.map {
                    try SparsityTarget(parsing: $0, option: "--prune-channels", pass: .channelPruning)
                },
                quantization: quantize, calibrationMethod: calibrationMethod, weightRounding: weightRounding,
                biasCorrection: biasCorrection,
                reconstruct: reconstruct,
                pruneMethod: method, fineTuning: fineTuning.options)
        }
    }

    /// True when no option asks for compression.
    var isEmpty: Bool { (try? options.isEmpty) ?? false }

    /// The flags as given, for the generated files' header comment.
    var recorded: String {
        var flags: [String] = []
        if let sparsity { flags.append("--sparsity \(sparsity)") }
        if pruneScope != .layer { flags.append("--prune-scope \(pruneScope.rawValue)") }
        if let pattern { flags.append("--pattern \(pattern)") }
        if let pruneChannels { flags.append("--prune-channels \(pruneChannels)") }
        // Recorded whenever asked for or chosen by default as OBS, so the header says how pruning chose.
        if (sparsity != nil || pattern != nil) && (pruneMethod != nil || method == .obs) {
            flags.append("--prune-method \(method.rawValue)")
        }
        if reconstruct { flags.append("--reconstruct") }
        if quantize != .none { flags.append("--quantize \(quantize.rawValue)") }
        for file in calibration { flags.append("--calibration \(file.split(separator: "/").last.map(String.init) ?? file)") }
        if let calibrationSamples { flags.append("--calibration-samples \(calibrationSamples)") }
        if calibrationMethod != .minmax { flags.append("--calibration-method \(calibrationMethod.rawValue)") }
        if weightRounding != .nearest { flags.append("--weight-rounding \(weightRounding.rawValue)") }
        if biasCorrection { flags.append("--bias-correction") }
        if format != .auto { flags.append("--format \(format.rawValue)") }
        if optimize != .balanced { flags.append("--optimize \(optimize.rawValue)") }
        flags += fineTuning.recorded
        return flags.joined(separator: " ")
    }

    /// Runs the passes on `graph`, loading the calibration data (each sample reshaped to the
    /// model input when the element counts match, e.g. flat 64-pixel rows for an 8x8x1
    /// image). Prints what structured pruning did and skipped.
    func compress(_ graph: Graph) throws -> CompressionPipeline.Result {
        let samples = try calibrationSamples(for: graph)
        let training = try fineTuning.data(for: graph, calibration: calibration)
        let progress = TerminalProgress.make()
        defer { progress?.clear() }
        let result = try CompressionPipeline.run(
            graph, options: options, calibration: samples, fineTuningSamples: training.samples,
            fineTuningLabels: training.labels, progress: TerminalProgress.reporter(progress))
        progress?.clear()
        printOutcome(result)
        return result
    }
}

extension PruningScope: ExpressibleByArgument {}
extension QuantizationMode: ExpressibleByArgument {}
extension CalibrationMethod: ExpressibleByArgument {}
extension WeightRounding: ExpressibleByArgument {}
extension FormatChoice: ExpressibleByArgument {}
extension OptimizationGoal: ExpressibleByArgument {}
extension PruneMethod: ExpressibleByArgument {}
