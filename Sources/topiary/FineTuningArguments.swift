import ArgumentParser
import Topiary

/// The fine-tuning options `convert`, `verify`, `evaluate` and `predict` share (through
/// `CompressionArguments`): train the pruned model to match the unpruned one before it is
/// quantized.
struct FineTuningArguments: ParsableArguments {
    @Flag(
        help:
            "After pruning, train the remaining weights and biases (pruned weights stay zero) to reproduce the unpruned model's outputs on the fine-tuning data (distillation); with --quantize int8 (pruned or not) the last epochs train through the int8 model, weights and activations, and calibration follows."
    )
    var finetune = false

    @Option(
        help: ArgumentHelp(
            "Unlabelled samples to fine-tune on: X.npy or FILE.h5:DATASET (repeat for each model input); default: every sample of the --calibration files.",
            valueName: "X"))
    var finetuneData: [String] = []

    @Option(
        help: ArgumentHelp(
            "Class labels of the fine-tuning samples (integer classes or one-hot rows), adding a cross-entropy term to the distillation.",
            valueName: "Y"))
    var finetuneLabels: String?

    @Option(help: ArgumentHelp("Passes over the fine-tuning data.", valueName: "N"))
    var finetuneEpochs: Int = FineTuningOptions.defaultEpochs

    @Option(
        help: ArgumentHelp(
            "Adam's peak rate, as the fraction of a typical weight of each layer one step may move; it warms up, then decays along a cosine to zero.",
            valueName: "R"))
    var finetuneRate: Double = FineTuningOptions.defaultLearningRate

    @Option(
        help: ArgumentHelp(
            "Also match the unpruned model's residual block outputs (its Add layers), with this weight beside the output loss (intermediate-layer distillation; default 0: off).",
            valueName: "W"))
    var finetuneBlockWeight: Float = 0

    @Option(
        help: ArgumentHelp(
            "For an autoencoder (output as large as the input): also keep each sample's anomaly score, the mean squared difference between output and input, relative to the unpruned model's, with this weight beside the output loss (default 0: off).",
            valueName: "W"))
    var finetuneScoreWeight: Float = 0

    func validate() throws {
        if !finetune,
            !finetuneData.isEmpty || finetuneLabels != nil || finetuneEpochs != FineTuningOptions.defaultEpochs
                || finetuneRate != FineTuningOptions.defaultLearningRate || finetuneBlockWeight != 0 || finetuneScoreWeight != 0
        {
            throw ValidationError(
                "--finetune-data, --finetune-labels, --finetune-epochs, --finetune-rate, --finetune-block-weight and --finetune-score-weight set up fine-tuning: add --finetune"
            )
        }
        if finetuneEpochs < 1 {
            throw ValidationError("--finetune-epochs must be 1 or more")
        }
        if !(finetuneRate > 0 && finetuneRate < 1) {
            throw ValidationError("--finetune-rate must be between 0 and 1, e.g. 0.01")
        }
        if !(finetuneBlockWeight >= 0 && finetuneBlockWeight.isFinite) {
            throw ValidationError("--finetune-block-weight must be 0 or more, e.g. 1")
        }
        if !(finetuneScoreWeight >= 0 && finetuneScoreWeight.isFinite) {
            throw ValidationError("--finetune-score-weight must be 0 or more, e.g. 1000")
        }
    }

    /// The library's options, or nil without `--finetune`.
    var options: FineTuningOptions? {
        finetune
            ? FineTuningOptions(
                epochs: finetuneEpochs, learningRate: finetuneRate, blockOutputWeight: finetuneBlockWeight, scoreWeight: finetuneScoreWeight
            )
            : nil
    }

    /// The flags as given, for the generated files' header comment.
    var recorded: [String] {
        guard finetune else { return [] }
        var flags = ["--finetune"]
        for file in finetuneData { flags.append("--finetune-data \(file.split(separator: "/").last.map(String.init) ?? file)") }
        if let finetuneLabels {
            flags.append("--finetune-labels \(finetuneLabels.split(separator: "/").last.map(String.init) ?? finetuneLabels)")
        }
        if finetuneEpochs != FineTuningOptions.defaultEpochs { flags.append("--finetune-epochs \(finetuneEpochs)") }
        if finetuneRate != FineTuningOptions.defaultLearningRate { flags.append("--finetune-rate \(finetuneRate)") }
        if finetuneBlockWeight != 0 { flags.append("--finetune-block-weight \(finetuneBlockWeight)") }
        if finetuneScoreWeight != 0 { flags.append("--finetune-score-weight \(finetuneScoreWeight)") }
        return flags
    }

    /// The fine-tuning samples (each reshaped to the model input when the element counts
    /// match) and their labels as class indices; nil samples mean the calibration files.
    func data(for graph: Graph, calibration: [String]) throws -> (samples: [[Tensor]]?, labels: [Int]?) {
        guard finetune else { return (nil, nil) }
        let files = finetuneData.isEmpty ? calibration : finetuneData
        guard !files.isEmpty else {
            throw ValidationError("--finetune trains on samples of the model's inputs: give --finetune-data X.npy or --calibration X.npy")
        }
        let samples = try Calibration.samples(
            from: files.map(ArrayFile.load), for: graph, reshape: true,
            source: files.joined(separator: ", "))
        guard let finetuneLabels else { return (samples, nil) }
        let labels = try ArrayFile.load(finetuneLabels)
        guard labels.sampleCount == samples.count, labels.shape.count <= 2 else {
            throw ValidationError(
                "\(finetuneLabels) holds \(labels.shape.count <= 2 ? "\(labels.sampleCount)" : "shape \(labels.shape)") labels for \(samples.count) fine-tuning samples; give one class per sample, as integers or one-hot rows"
            )
        }
        let width = labels.sampleShape.elementCount
        let classes = (0..<labels.sampleCount).map { i -> Int in
            guard labels.shape.count == 2 else { return Int(labels.values[i]) }
            let row = labels.values[(i * width)..<((i + 1) * width)]
            return row.indices.max { row[$0] < row[$1] }! - i * width
        }
        return (samples, classes)
    }
}
