import ArgumentParser
import Foundation
import Topiary

extension CompressionArguments {
    /// The calibration samples these options need (nil when none), loaded as `compress` loads
    /// them: each sample reshaped to the model input when the element counts match.
    func calibrationSamples(for graph: Graph) throws -> [[Tensor]]? {
        guard quantize == .int8 || reconstruct || method == .obs, !calibration.isEmpty else { return nil }
        let arrays = try calibration.map(ArrayFile.load)
        return try Calibration.samples(
            from: arrays, for: graph, reshape: true, limit: calibrationSamples,
            source: calibration.joined(separator: ", "))
    }

    /// With a budget: searches the per-layer sparsities that meet it on the labelled data,
    /// prints what it chose, and returns these options with `--sparsity` set to the choice.
    /// Without one: these options unchanged.
    func searching(
        _ arguments: BudgetArguments, graph: Graph, inputs: [String], labels: String?, reshape: Bool,
        output: Int = 0
    ) throws -> CompressionArguments {
        guard let budget = arguments.budget else { return self }
        let flag = arguments.flashBudget != nil ? "--flash-budget" : "--max-accuracy-drop"
        if sparsity != nil || pattern != nil {
            throw ValidationError("\(flag) chooses each layer's sparsity itself; drop --sparsity and --pattern")
        }
        if pruneScope != .layer {
            throw ValidationError("\(flag) chooses each layer's sparsity itself; drop --prune-scope")
        }
        guard !inputs.isEmpty else {
            throw ValidationError(
                "\(flag) measures top-1 accuracy on validation data: give --input X.npy, with --labels Y.npy or without (then the float model's own top-1 serves as labels)"
            )
        }
        if case .flashBytes = budget, quantize != .int8 {
            throw ValidationError("--flash-budget counts the bytes of the int8 C: add --quantize int8 --calibration X.npy")
        }
        let arrays = try inputs.map(ArrayFile.load)
        let truth: NDArray
        if let labels {
            truth = try ArrayFile.load(labels)
        } else {
            truth = try AgreementLabels.of(graph, arrays, sources: inputs, reshape: reshape, output: output)
            Console.say(
                "no --labels: the float model's top-1 on \(inputs.joined(separator: ", ")) serves as the labels (accuracy is agreement with it)"
            )
        }
        let validation = try ValidationSet(
            inputs: arrays, labels: truth, for: graph, output: output, reshape: reshape,
            labelsName: labels ?? "the float model's top-1")
        let training = try fineTuning.data(for: graph, calibration: calibration)
        let progress = TerminalProgress.make()
        defer { progress?.clear() }
        let result = try BudgetSearch.run(
            graph, options: options, calibration: calibrationSamples(for: graph),
            fineTuningData: FineTuningData(samples: training.samples, labels: training.labels), validation: validation,
            budget: budget, levels: arguments.levels, format: format, goal: optimize,
            progress: TerminalProgress.reporter(progress))
        progress?.clear()
        Console.say(result.table())
        var chosen = self
        chosen.sparsity = result.sparsityArgument
        return chosen
    }
}
