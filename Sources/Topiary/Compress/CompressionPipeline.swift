/// Composes the passes in their one order: fold BatchNorm, remove channels, prune weights
/// (and refit what remains, when asked), quantize. Each pass is a pure `Graph -> Graph`; this only sequences them and keeps what
/// the command line reports.
public enum CompressionPipeline {
    /// What the pipeline produced.
    public struct Result: Sendable {
        /// The compressed graph (an int8 graph when quantizing to int8).
        public var graph: Graph
        /// Structured pruning's account, when it ran.
        public var channelPruning: ChannelPruningResult?
    }

    /// Runs the passes `options` ask for on `graph`. `calibration` (one array of input
    /// tensors per sample) is required for int8 quantization and for reconstruction.
    public static func run(_ graph: Graph, options: CompressionOptions, calibration: [[Tensor]]? = nil) throws -> Result {
        guard !options.isEmpty else { return Result(graph: graph, channelPruning: nil) }
        var current = try BatchNormFolding.apply(graph)
        var channels: ChannelPruningResult?
        if let target = options.channelPruning {
            let result = try ChannelPruning.apply(current, target)
            channels = result
            current = result.graph
        }
        let unpruned = current
        current = try MagnitudePruning.apply(current, options.pruning)
        if options.reconstruct || options.pruneMethod == .obs, !options.pruning.isEmpty {
            guard let calibration, !calibration.isEmpty else {
                throw CompressionError(.pruning, "--reconstruct and --prune-method obs work on calibration samples: give --calibration X.npy")
            }
            if options.pruneMethod == .obs, options.pruning.pattern != nil {
                throw CompressionError(.pruning, "--prune-method obs chooses weights freely and would break an N:M pattern; use magnitude with --pattern")
            }
            current = try PruningReconstruction.apply(pruned: current, original: unpruned, samples: calibration,
                                                      selectMask: options.pruneMethod == .obs)
        }
        switch options.quantization {
        case .none:
            break
        case .int8Weights:
            current = WeightOnlyQuantization.apply(current)
        case .int8:
            guard let calibration, !calibration.isEmpty else {
                throw CompressionError(.calibration, "--quantize int8 needs calibration samples: give --calibration X.npy (e.g. 200 training samples)")
            }
            current = try Quantizer.quantize(current, samples: calibration, method: options.calibrationMethod)
        }
        return Result(graph: current, channelPruning: channels)
    }
}
