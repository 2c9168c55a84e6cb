/// How fine-tuning trains a pruned model (`FineTuning`); the defaults are the ones the
/// benchmark measured (`bench/finetune.sh`).
public struct FineTuningOptions: Equatable, Sendable {
    /// Passes over the fine-tuning samples.
    public var epochs: Int
    public var batchSize: Int
    /// Adam's peak rate, as the fraction of a typical weight of each tensor that one step may
    /// move it (`AdamOptimizer`); it rises over a short warm-up, then decays along a cosine
    /// to zero over the run, so the int8 epochs at the end take small steps.
    public var learningRate: Double
    /// The distillation temperature for softmax outputs.
    public var temperature: Float
    /// Seeds the order of the samples, the only randomness, so a run is reproducible.
    public var seed: UInt64

    public static let defaultEpochs = 60
    public static let defaultLearningRate = 1e-2

    public init(
        epochs: Int = FineTuningOptions.defaultEpochs, batchSize: Int = 32, learningRate: Double = FineTuningOptions.defaultLearningRate,
        temperature: Float = 2, seed: UInt64 = 0
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.temperature = temperature
        self.seed = seed
    }

    /// The last epochs, which train through the int8 rounding when the model is quantized
    /// to int8: a third of the run, at least one.
    public var int8Epochs: Int { max(1, epochs / 3) }
}
