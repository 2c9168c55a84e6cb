/// Chooses a sparsity per layer (from a grid of levels) that meets a `CompressionBudget`,
/// measuring every candidate on the validation set as it will be shipped: pruned by the
/// chosen method, then compressed by the other options (int8, with the storage format the
/// packers pick per layer for the format choice and optimization goal of the conversion).
///
/// It starts from per-layer sensitivity curves (`SensitivityAnalysis`) and moves greedily:
/// each move raises one layer's sparsity to a higher level, the one whose predicted cost per
/// byte saved is smallest. The predicted cost is the rise in validation cross-entropy when
/// that layer alone is pruned (made non-decreasing in sparsity), the bytes saved come from
/// the same trials' int8 footprints (nonzero weights in float).
///
/// - Accuracy budget: every move is measured on the whole model; a move that breaks the
///   budget is taken back and caps that layer below the level it tried. The search ends
///   when no layer can move.
/// - Flash budget: moves are made on predicted bytes until the prediction fits, then the
///   model is measured (the correction between prediction and measurement carries over), and
///   so on until the measured bytes fit.
///
/// After the greedy pass, a local search trades levels between layers (one layer down a
/// level, alone or with another up a level), measured on the whole model, while that makes
/// the model smaller within the accuracy budget, or more accurate within the flash budget.
///
/// Greedy on single-layer curves, it does not promise the best allocation; the result is
/// always a measured configuration that meets the budget, or a `BudgetError` when none can
/// (a flash budget below the size at the highest level everywhere, or an accuracy budget the
/// unpruned compressed model already breaks).
public enum BudgetSearch {
    /// The levels tried when none are given.
    public static let defaultLevels: [Double] = [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.97]

    /// Searches per-layer sparsities for `graph` compressed as `options` ask (whose pruning
    /// target must be empty); with fine-tuning in the options, every trial is fine-tuned on
    /// `fineTuningData`. Flash is counted in the storage formats `format` and `goal` pick, the
    /// ones the C of the result will use. `progress` hears one line per measured configuration.
    public static func run(
        _ graph: Graph, options: CompressionOptions, calibration: [[Tensor]]?,
        fineTuningData: FineTuningData = FineTuningData(), validation: ValidationSet,
        budget: CompressionBudget, levels: [Double] = defaultLevels, format: FormatChoice = .auto,
        goal: OptimizationGoal = .balanced, progress: ((String) -> Void)? = nil
    ) throws -> BudgetSearchResult {
        if case let .flashBytes(bytes) = budget {
            guard options.quantization == .int8 else {
                throw CompressionError(
                    .pruning,
                    "a flash budget counts the bytes of the int8 C, and float C stores every weight, pruned or not: quantize the model to int8"
                )
            }
            guard bytes > 0 else { throw CompressionError(.pruning, "the flash budget must be a positive number of bytes") }
        }
        if case let .accuracyDrop(points) = budget, !(points >= 0) {
            throw CompressionError(.pruning, "the accuracy budget must be 0 or more points of top-1")
        }
        let runner = try TrialRunner(
            graph: graph, options: options, calibration: calibration, fineTuningData: fineTuningData,
            validation: validation, format: format, goal: goal)
        let levels = Array(Set(levels)).sorted()
        if case let .flashBytes(bytes) = budget, let highest = levels.last {
            // Before anything slow: can the highest level everywhere fit at all?
            progress?("search: every layer at \(Percent(highest))")
            let smallest = try runner.measure(Dictionary(uniqueKeysWithValues: runner.layers.map { ($0, highest) }))
            if let smallestBytes = smallest.flashBytes, smallestBytes > bytes {
                throw BudgetError(
                    budget: budget,
                    message:
                        "the flash budget of \(bytes) bytes is below the smallest model the search can make: \(smallestBytes) bytes with every layer at \(Percent(highest)) sparsity (top-1 \(smallest.score))",
                    closest: smallest)
            }
        }
        if case let .accuracyDrop(points) = budget {
            // Before anything slow: does the model meet the budget without pruning?
            progress?("search: the model without pruning")
            let reference = try validation.score(graph), unpruned = try runner.measure([:])
            let drop = unpruned.score.drop(from: reference)
            if drop > points + 1e-9 {
                throw BudgetError(
                    budget: budget,
                    message:
                        "even unpruned, the compressed model is \((drop * 100).rounded() / 100) points below the float model (top-1 \(unpruned.score) against \(reference)), more than the \(points) allowed",
                    closest: unpruned)
            }
        }
        let curves = try SensitivityAnalysis.run(runner, sparsities: levels, progress: progress)
        var search = Greedy(runner: runner, curves: curves, budget: budget, progress: progress)
        let chosen = try search.run()
        return BudgetSearchResult(
            budget: budget, reference: curves.reference, chosen: chosen, steps: search.steps,
            sensitivityTrials: curves.layers.count * curves.sparsities.count + 1, trials: runner.runs)
    }

    /// The greedy state: one level index per layer (0 = not pruned, k = `levels[k - 1]`).
    struct Greedy {
        let runner: TrialRunner
        let curves: SensitivityCurves
        let budget: CompressionBudget
        let progress: ((String) -> Void)?
        var steps: [BudgetSearchResult.Step] = []

        init(runner: TrialRunner, curves: SensitivityCurves, budget: CompressionBudget, progress: ((String) -> Void)?) {
            self.runner = runner
            self.curves = curves
            self.budget = budget
            self.progress = progress
        }

        var levelCount: Int { curves.sparsities.count + 1 }

        func sparsity(_ level: Int) -> Double { level == 0 ? 0 : curves.sparsities[level - 1] }

        /// Layer `l`'s trial at `level` with every other layer intact.
        func alone(_ l: Int, _ level: Int) -> CompressionTrial { level == 0 ? curves.unpruned : curves.trials[l][level - 1] }

        /// Predicted cost of layer `l` at `level`: its cross-entropy rise, non-decreasing.
        func cost(_ l: Int, _ level: Int) -> Double {
            (0...level).map { alone(l, $0).score.crossEntropy - curves.unpruned.score.crossEntropy }.max().map { max($0, 0) } ?? 0
        }

        func size(_ l: Int, _ level: Int) -> Int { alone(l, level).layers[l].size }

        func fractions(_ state: [Int]) -> [String: Double] {
            var result: [String: Double] = [:]
            for (l, level) in state.enumerated() where level > 0 { result[curves.layers[l]] = sparsity(level) }
            return result
        }

        /// The cheapest move per byte saved, from `state`, no layer above its cap.
        func bestMove(_ state: [Int], caps: [Int]) -> (layer: Int, level: Int)? {
            var best: (layer: Int, level: Int, ratio: Double)?
            for l in state.indices where state[l] < caps[l] {
                for level in (state[l] + 1)...caps[l] {
                    let gain = size(l, state[l]) - size(l, level)
                    guard gain > 0 else { continue }
                    let ratio = (cost(l, level) - cost(l, state[l]) + 1e-4) / Double(gain)
                    if best == nil || ratio < best!.ratio { best = (l, level, ratio) }
                }
            }
            return best.map { ($0.layer, $0.level) }
        }

        mutating func record(_ trial: CompressionTrial, from: [Int], to: [Int], accepted: Bool) {
            let changes = from.indices.filter { from[$0] != to[$0] }.map {
                BudgetSearchResult.Change(layer: curves.layers[$0], from: sparsity(from[$0]), to: sparsity(to[$0]))
            }
            let step = BudgetSearchResult.Step(changes: changes, trial: trial, accepted: accepted)
            steps.append(step)
            progress?("search: \(step)")
        }

        /// Local search after the greedy pass: from `state`, each round measures every
        /// neighbour that lowers one layer by a level, alone or with another layer raised by a
        /// level, and moves to the best one `improves` accepts over the current trial. The
        /// greedy pass ranks moves by single-layer curves; this corrects it with measurements
        /// of the whole model, where layers interact.
        mutating func polish(
            _ state: [Int], _ current: CompressionTrial,
            improves: (CompressionTrial, CompressionTrial) -> Bool
        ) throws -> CompressionTrial {
            var state = state, current = current
            for _ in 0..<(2 * state.count) {
                var best: (state: [Int], trial: CompressionTrial)?
                for l in state.indices where state[l] > 0 {
                    var lowered = state
                    lowered[l] -= 1
                    var neighbours = [lowered]
                    for m in state.indices where m != l && state[m] < levelCount - 1 {
                        var traded = lowered
                        traded[m] += 1
                        neighbours.append(traded)
                    }
                    for next in neighbours {
                        let trial = try runner.measure(fractions(next))
                        if improves(trial, best?.trial ?? current) { best = (next, trial) }
                    }
                }
                guard let best else { break }
                record(best.trial, from: state, to: best.state, accepted: true)
                state = best.state
                current = best.trial
            }
            return current
        }

        mutating func run() throws -> CompressionTrial {
            switch budget {
            case let .accuracyDrop(points): return try meetAccuracy(points)
            case let .flashBytes(bytes): return try meetFlash(bytes)
            }
        }

        mutating func meetAccuracy(_ points: Double) throws -> CompressionTrial {
            let reference = curves.reference
            func fits(_ trial: CompressionTrial) -> Bool { trial.score.drop(from: reference) <= points + 1e-9 }
            // `run` checked that the unpruned model fits.
            var current = curves.unpruned
            var state = [Int](repeating: 0, count: curves.layers.count)
            var caps = [Int](repeating: levelCount - 1, count: curves.layers.count)
            while let move = bestMove(state, caps: caps) {
                var next = state
                next[move.layer] = move.level
                let trial = try runner.measure(fractions(next))
                let accepted = fits(trial)
                record(trial, from: state, to: next, accepted: accepted)
                if accepted {
                    state = next
                    current = trial
                } else {
                    caps[move.layer] = move.level - 1
                }
            }
            // Trade levels between layers while that makes the model smaller within budget.
            return try polish(state, current) { candidate, best in
                fits(candidate) && candidate.size < best.size
            }
        }

        mutating func meetFlash(_ budget: Int) throws -> CompressionTrial {
            // `run` checked that the highest level everywhere fits.
            let top = [Int](repeating: levelCount - 1, count: curves.layers.count)
            var current = curves.unpruned
            var state = [Int](repeating: 0, count: curves.layers.count)
            // Predicted bytes of a state: the measured bytes of `current` moved by the
            // single-layer size differences.
            func predicted(_ next: [Int]) -> Int {
                (current.flashBytes ?? 0) + next.indices.reduce(0) { $0 + size($1, next[$1]) - size($1, state[$1]) }
            }
            while (current.flashBytes ?? 0) > budget {
                var next = state
                while predicted(next) > budget, let move = bestMove(next, caps: top) { next[move.layer] = move.level }
                // With no saving left to predict, the highest levels are known to fit.
                if next == state { next = top }
                let trial = try runner.measure(fractions(next))
                record(trial, from: state, to: next, accepted: (trial.flashBytes ?? 0) <= budget)
                state = next
                current = trial
            }
            // Spend what is left of the budget where it buys the most accuracy.
            return try polish(state, current) { candidate, best in
                (candidate.flashBytes ?? .max) <= budget && candidate.score.isBetter(than: best.score)
            }
        }
    }
}
