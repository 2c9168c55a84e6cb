/// Everything `topiary convert`, `evaluate` and `predict` can ask of the compression passes.
public struct CompressionOptions: Equatable, Sendable {
    public var pruning: PruningOptions
    /// Structured pruning: the fraction of output channels to remove (uniform or per layer).
    public var channelPruning: SparsityTarget?
    public var quantization: QuantizationMode
    public var calibrationMethod: CalibrationMethod
    /// How int8 weights are rounded (`WeightRounding`).
    public var weightRounding: WeightRounding
    /// Correct the int8 biases for the mean shift weight rounding causes (`BiasCorrection`).
    public var biasCorrection: Bool
    /// Refit the weights left after pruning on the calibration data (`PruningReconstruction`).
    public var reconstruct: Bool
    /// How the pruned weights are chosen (`PruneMethod`); `.obs` updates the weights kept too.
    public var pruneMethod: PruneMethod
    /// Train the pruned (or int8-bound) model to match the unpruned float one before
    /// quantizing (`FineTuning`).
    public var fineTuning: FineTuningOptions?

    public init(
        pruning: PruningOptions = PruningOptions(), channelPruning: SparsityTarget? = nil,
        quantization: QuantizationMode = .none, calibrationMethod: CalibrationMethod = .minmax,
        weightRounding: WeightRounding = .nearest, biasCorrection: Bool = false,
        reconstruct: Bool = false, pruneMethod: PruneMethod = .magnitude, fineTuning: FineTuningOptions? = nil
    ) {
        self.pruning = pruning
        self.channelPruning = channelPruning
        self.quantization = quantization
        self.calibrationMethod = calibrationMethod
        self.weightRounding = weightRounding
        self.biasCorrection = biasCorrection
        self.reconstruct = reconstruct
        self.pruneMethod = pruneMethod
        self.fineTuning = fineTuning
    }

    /// True when no pass would change the model.
    public var isEmpty: Bool {
        pruning.isEmpty && channelPruning == nil && quantization == .none
    }

    /// True when calibration samples are needed.
    public var needsCalibration: Bool { quantization == .int8 || reconstruct || (pruneMethod == .obs && !pruning.isEmpty) }
}
