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
    /// The weight of intermediate-layer distillation (`BlockOutputMatching`: the residual
    /// block outputs matched to the unpruned model's) beside the output loss; 0, the
    /// default, leaves it out (it did not raise the int8 top-1 of the residual sample).
    public var blockOutputWeight: Float
    /// For an autoencoder (output as large as the input): the weight of matching each sample's
    /// anomaly score, the mean squared difference between output and input, relative to the
    /// unpruned model's (`ReconstructionScoreMatching`); 0, the default, leaves it out.
    public var scoreWeight: Float
    /// The fraction of the cosine schedule's rate that the epochs through the int8 rounding
    /// take: there the model only has to settle into the integer grid, and full steps make
    /// it hop between grid points (the conv1d sample at 80%: 93.6% top-1 at full rate, 94.2%
    /// at half).
    public var int8RateFactor: Double

    public static let defaultEpochs = 60
    public static let defaultLearningRate = 1e-2
    public static let defaultInt8RateFactor = 0.5

    public init(
        epochs: Int = FineTuningOptions.defaultEpochs, batchSize: Int = 32, learningRate: Double = FineTuningOptions.defaultLearningRate,
        temperature: Float = 2, seed: UInt64 = 0,
        blockOutputWeight: Float = 0, scoreWeight: Float = 0, int8RateFactor: Double = FineTuningOptions.defaultInt8RateFactor
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.temperature = temperature
        self.seed = seed
        self.blockOutputWeight = blockOutputWeight
        self.scoreWeight = scoreWeight
        self.int8RateFactor = int8RateFactor
    }

    /// The last epochs, which train through the int8 rounding when the model is quantized
    /// to int8: a third of the run, at least one.
    public var int8Epochs: Int { max(1, epochs / 3) }
}
