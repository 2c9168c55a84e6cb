/// Measures how much each layer can be pruned: for every prunable layer and every sparsity,
/// the model with that layer alone pruned (by the prune method of `options`), then compressed
/// as `options` ask (int8, say), scored on the validation set. Layers differ widely: the
/// first layer of a small model and its classifier usually cost far more accuracy per weight
/// removed than the wide middle layers, which is what non-uniform sparsity exploits.
public enum SensitivityAnalysis {
    /// `options` must not prune (its target is what the analysis varies). Int8 bytes are those
    /// of the storage formats `format` and `goal` pick, as in the C. `progress` hears one line
    /// per trial.
    public static func run(
        _ graph: Graph, options: CompressionOptions, calibration: [[Tensor]]?, validation: ValidationSet,
        sparsities: [Double], format: FormatChoice = .auto, goal: OptimizationGoal = .balanced,
        progress: ((String) -> Void)? = nil
    ) throws -> SensitivityCurves {
        let runner = try TrialRunner(
            graph: graph, options: options, calibration: calibration, validation: validation, format: format, goal: goal)
        return try run(runner, sparsities: sparsities, progress: progress)
    }

    static func run(_ runner: TrialRunner, sparsities: [Double], progress: ((String) -> Void)?) throws -> SensitivityCurves {
        guard runner.options.pruning.isEmpty else {
            throw CompressionError(
                .pruning, "sensitivity analysis and budgets choose the sparsity themselves; drop --sparsity and --pattern")
        }
        let levels = Array(Set(sparsities)).sorted()
        guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw CompressionError(.pruning, "the sparsities to try must be fractions in (0, 1), e.g. 0.5,0.7,0.8,0.9,0.95")
        }
        let reference = try runner.validation.score(runner.graph)
        progress?("sensitivity: the model without pruning")
        let unpruned = try runner.measure([:])
        var trials: [[CompressionTrial]] = []
        let total = runner.layers.count * levels.count
        for (l, layer) in runner.layers.enumerated() {
            var row: [CompressionTrial] = []
            for (k, level) in levels.enumerated() {
                progress?("sensitivity: '\(layer)' at \(Percent(level)) (\(l * levels.count + k + 1)/\(total))")
                row.append(try runner.measure([layer: level]))
            }
            trials.append(row)
        }
        return SensitivityCurves(layers: runner.layers, sparsities: levels, reference: reference, unpruned: unpruned, trials: trials)
    }
}
