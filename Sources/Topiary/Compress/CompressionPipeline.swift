/// Composes the passes in their one order: fold BatchNorm, remove channels, prune weights
/// (and refit what remains, when asked), fine-tune, remove the channels pruning left unread,
/// quantize, correct the int8 biases; a model that stays float (no options, pruning alone,
/// int8 weights) has its standalone ReLUs fused into the layers before them
/// (`ActivationFusion`; int8 quantization fuses them itself). Each pass is a pure
/// `Graph -> Graph`; this only sequences them and keeps what the command line reports.
public enum CompressionPipeline {
    /// What the pipeline produced.
    public struct Result: Sendable {
        /// The compressed graph (an int8 graph when quantizing to int8).
        public var graph: Graph
        /// Structured pruning's account, when it ran.
        public var channelPruning: ChannelPruningResult?
        /// The layers `--prune-scope global` held back from losing more (`GlobalRanking`).
        public var globalRankingCaps: [GlobalRankingCap] = []
        /// What fine-tuning did, when it ran.
        public var fineTuning: FineTuningSummary?
        /// What bias correction did, when it ran.
        public var biasCorrection: BiasCorrection.Summary?
        /// Channels removed because pruning left no later layer reading them
        /// (`UnreadChannelRemoval`), by Keras layer name.
        public var unreadChannels: [String: Int] = [:]
    }

    /// Runs the passes `options` ask for on `graph`. `calibration` (one array of input
    /// tensors per sample) is required for int8 quantization, for reconstruction and for OBS
    /// pruning; fine-tuning trains on `fineTuningSamples` (default: `calibration`), with
    /// `fineTuningLabels` (a class per sample) when given; `progress` hears what the long
    /// passes are doing.
    public static func run(
        _ graph: Graph, options: CompressionOptions, calibration: [[Tensor]]? = nil,
        fineTuningSamples: [[Tensor]]? = nil, fineTuningLabels: [Int]? = nil,
        progress: ((String) -> Void)? = nil
    ) throws -> Result {
        // Without compression the model stays float: BatchNorm folding and activation fusion
        // are all that change, as in every float conversion.
        guard !options.isEmpty else { return Result(graph: ActivationFusion.apply(try BatchNormFolding.apply(graph))) }
        if options.biasCorrection, options.quantization != .int8 {
            throw CompressionError(
                .quantization, "bias correction adjusts the int32 biases of an int8 model; it applies only with int8 quantization")
        }
        var current = try BatchNormFolding.apply(graph)
        let folded = current
        var channels: ChannelPruningResult?
        if let target = options.channelPruning {
            let result = try ChannelPruning.apply(current, target)
            channels = result
            current = result.graph
        }
        let unpruned = current
        let caps = MagnitudePruning.globalRankingCaps(current, options.pruning)
        switch options.pruneMethod {
        case .magnitude:
            current = try MagnitudePruning.apply(current, options.pruning)
        case .obs where !options.pruning.isEmpty:
            guard let calibration, !calibration.isEmpty else {
                throw CompressionError(.pruning, "--prune-method obs works on calibration samples: give --calibration X.npy")
            }
            if options.pruning.pattern != nil {
                throw CompressionError(
                    .pruning, "--prune-method obs does not take an N:M pattern; use --prune-method magnitude with --pattern")
            }
            current = try OBSPruning.apply(current, options.pruning, samples: calibration, progress: progress)
        case .obs:
            break
        }
        if options.reconstruct, !options.pruning.isEmpty {
            guard let calibration, !calibration.isEmpty else {
                throw CompressionError(.pruning, "--reconstruct refits the pruned weights on calibration samples: give --calibration X.npy")
            }
            current = try PruningReconstruction.apply(pruned: current, original: unpruned, samples: calibration)
        }
        var fineTuned: FineTuningSummary?
        // Fine-tuning makes up for what pruning and int8 rounding lose; an unpruned float
        // model is the teacher itself, which training could only move away from.
        if let fineTuning = options.fineTuning, !options.pruning.isEmpty || channels != nil || options.quantization == .int8 {
            guard let samples = fineTuningSamples ?? calibration, !samples.isEmpty else {
                throw CompressionError(
                    .fineTuning, "fine-tuning trains on samples of the model's inputs: give fine-tuning data or --calibration X.npy")
            }
            let result = try FineTuning.apply(
                current, teacher: folded, samples: samples, labels: fineTuningLabels, options: fineTuning,
                int8: options.quantization == .int8
                    ? calibration.map { Int8Calibration(samples: $0, method: options.calibrationMethod) } : nil,
                progress: progress)
            current = result.graph
            fineTuned = result.summary
        }
        // Pruning may have emptied whole input rows of a layer; the channels feeding only
        // those rows are then work for nothing, and go before quantization sizes the arena
        // and the activation ranges.
        var unread: [String: Int] = [:]
        if !options.pruning.isEmpty || channels != nil {
            (current, unread) = UnreadChannelRemoval.apply(current)
        }
        var biasCorrection: BiasCorrection.Summary?
        switch options.quantization {
        case .none:
            current = ActivationFusion.apply(current)
        case .int8Weights:
            current = WeightOnlyQuantization.apply(ActivationFusion.apply(current))
        case .int8:
            guard let calibration, !calibration.isEmpty else {
                throw CompressionError(
                    .calibration, "int8 quantization needs calibration samples to set the activation ranges (e.g. 200 training samples)")
            }
            current = try Quantizer.quantize(
                current, samples: calibration, method: options.calibrationMethod, rounding: options.weightRounding)
            if options.biasCorrection {
                let corrected = try BiasCorrection.apply(current, samples: calibration)
                current = corrected.graph
                biasCorrection = corrected.summary
            }
        }
        return Result(
            graph: current, channelPruning: channels, globalRankingCaps: caps, fineTuning: fineTuned, biasCorrection: biasCorrection,
            unreadChannels: unread)
    }
}
