import Foundation

/// What a budgeted search chose, with the measurements behind it: what `convert` and
/// `evaluate` print before using the chosen sparsities.
public struct BudgetSearchResult: Equatable, Sendable {
    /// One layer's sparsity changing.
    public struct Change: Equatable, Sendable {
        public var layer: String
        public var from: Double
        public var to: Double
    }

    /// One measured move of the search.
    public struct Step: Equatable, Sendable, CustomStringConvertible {
        public var changes: [Change]
        /// The whole model with the move made.
        public var trial: CompressionTrial
        /// False when the move broke the budget and was taken back (accuracy), or when the
        /// measured model did not fit yet (flash).
        public var accepted: Bool

        public var description: String {
            let moves = changes.map { "'\($0.layer)' \(Percent($0.from)) -> \(Percent($0.to))" }.joined(separator: ", ")
            var text = "\(moves): top-1 \(trial.score)"
            if let bytes = trial.flashBytes { text += ", \(bytes) bytes" }
            return text + (accepted ? "" : " (over budget)")
        }
    }

    public var budget: CompressionBudget
    /// The uncompressed float model on the validation set.
    public var reference: ValidationScore
    /// The configuration chosen, as measured.
    public var chosen: CompressionTrial
    public var steps: [Step]
    /// Configurations measured for the sensitivity curves, and in all.
    public var sensitivityTrials: Int
    public var trials: Int

    /// The chosen sparsities as `--sparsity` takes them (`fc1=0.9,fc2=0.8`), layers in model
    /// order; nil when nothing is pruned.
    public var sparsityArgument: String? {
        let items = chosen.layers.compactMap { layer in chosen.fractions[layer.name].map { "\(layer.name)=\($0)" } }
        return items.isEmpty ? nil : items.joined(separator: ",")
    }

    /// The chosen sparsities as a pruning target.
    public var target: SparsityTarget? { chosen.fractions.isEmpty ? nil : .perLayer(chosen.fractions) }

    /// The per-layer table and the measured figures.
    public func table() -> String {
        let int8 = chosen.flashBytes != nil
        var rows: [[String]] = [["Layer", "Sparsity asked", "Sparsity", "Nonzeros", int8 ? "Bytes" : ""]]
        for layer in chosen.layers {
            rows.append([
                layer.name, chosen.fractions[layer.name].map { Percent($0).description } ?? "0%",
                String(format: "%.1f%%", layer.sparsity * 100), "\(layer.nonzeros)/\(layer.weights)",
                layer.bytes.map(String.init) ?? "",
            ])
        }
        let weights = chosen.layers.reduce(0) { $0 + $1.weights }, nonzeros = chosen.layers.reduce(0) { $0 + $1.nonzeros }
        rows.append([
            "Total", "", String(format: "%.1f%%", weights == 0 ? 0 : 100 * (1 - Double(nonzeros) / Double(weights))),
            "\(nonzeros)/\(weights)", int8 ? "\(chosen.layers.reduce(0) { $0 + ($1.bytes ?? 0) })" : "",
        ])
        var lines = ["Budget: \(budget)"] + TextTable(rows: rows, lastRowIsTotal: true).lines()
        lines.append(
            String(
                format: "measured: top-1 %@, %.2f points below the float model (%@)",
                chosen.score.description, chosen.score.drop(from: reference), reference.description)
                + (chosen.flashBytes.map { "; \($0) bytes of constant data in the int8 C" } ?? ""))
        lines.append(
            "searched \(trials) configurations (\(sensitivityTrials) for the sensitivity curves), \(steps.count) moves, \(steps.filter { !$0.accepted }.count) over budget"
        )
        return lines.joined(separator: "\n")
    }
}
