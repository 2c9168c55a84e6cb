/// Compresses a model with given per-layer sparsities on top of fixed options, and measures
/// the result on the validation set (and, for int8, the constant bytes of its C as
/// `Int8ConstantData` counts them, with the storage formats the code generator picks for the
/// same format choice and goal). Results are kept, so a search
/// that comes back to a configuration does not pay for it twice.
final class TrialRunner {
    let graph: Graph
    /// The compression every trial starts from (its pruning target is replaced).
    let options: CompressionOptions
    let calibration: [[Tensor]]?
    /// What fine-tuning trains on, when the options fine-tune (default: `calibration`).
    let fineTuningData: FineTuningData
    let validation: ValidationSet
    let format: FormatChoice
    let goal: OptimizationGoal
    /// The prunable Keras layers, in model order.
    let layers: [String]
    private var cache: [[String: Double]: CompressionTrial] = [:]

    init(
        graph: Graph, options: CompressionOptions, calibration: [[Tensor]]?, fineTuningData: FineTuningData = FineTuningData(),
        validation: ValidationSet, format: FormatChoice, goal: OptimizationGoal
    ) throws {
        self.graph = graph
        self.options = options
        self.calibration = calibration
        self.fineTuningData = fineTuningData
        self.validation = validation
        self.format = format
        self.goal = goal
        layers = MagnitudePruning.prunableSites(graph).map(\.layer).uniqued()
        guard !layers.isEmpty else {
            throw CompressionError(.pruning, "the model has no Dense or convolution kernels to prune")
        }
    }

    /// Trials run so far (cached ones not counted again).
    private(set) var runs = 0

    /// The model pruned to `fractions` (zero fractions dropped), measured.
    func measure(_ fractions: [String: Double]) throws -> CompressionTrial {
        let fractions = fractions.filter { $0.value > 0 }
        if let cached = cache[fractions] { return cached }
        var options = options
        options.pruning = PruningOptions(target: fractions.isEmpty ? nil : .perLayer(fractions))
        let compressed = try CompressionPipeline.run(
            graph, options: options, calibration: calibration,
            fineTuningSamples: fineTuningData.samples, fineTuningLabels: fineTuningData.labels
        ).graph
        let score = try validation.score(compressed)
        var flashBytes: Int?
        var bytes: [String: Int] = [:]
        if options.quantization == .int8 {
            let constants = try Int8ConstantData(graph: compressed, choice: format, goal: goal)
            flashBytes = constants.bytes
            let layerOfNode = Dictionary(compressed.nodes.map { ($0.name, $0.layerName) }, uniquingKeysWith: { a, _ in a })
            for footprint in constants.layers {
                guard let layer = layerOfNode[footprint.layer] else { continue }
                bytes[layer, default: 0] += footprint.totalBytes
            }
        }
        var layerResults: [CompressionTrial.Layer] = []
        for name in layers {
            var weights = 0, nonzeros = 0
            // Every kernel of the layer once (a split separable layer has two nodes, a shared
            // layer repeats its tensors); int8 rounding may add zeros.
            var seen: [Tensor] = []
            for node in compressed.nodes where node.layerName == name {
                for role in KernelRows.roles(of: node.op) {
                    guard let kernel = node.weights[role], let rows = KernelRows(node, role), !seen.contains(kernel) else { continue }
                    seen.append(kernel)
                    weights += kernel.count
                    let scales = ChannelWeightQuantization.scales(kernel.values, rows: rows)
                    for (i, w) in kernel.values.enumerated() where w != 0 {
                        if options.quantization != .none, (w / scales[i % scales.count]).rounded() == 0 { continue }
                        nonzeros += 1
                    }
                }
            }
            layerResults.append(
                CompressionTrial.Layer(
                    name: name, weights: weights, nonzeros: nonzeros,
                    bytes: options.quantization == .int8 ? bytes[name, default: 0] : nil))
        }
        let trial = CompressionTrial(fractions: fractions, score: score, flashBytes: flashBytes, layers: layerResults)
        cache[fractions] = trial
        runs += 1
        return trial
    }
}
