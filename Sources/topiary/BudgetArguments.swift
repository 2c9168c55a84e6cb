import ArgumentParser
import Topiary

/// `--max-accuracy-drop` and `--flash-budget`, which `convert` and `evaluate` share: instead
/// of a sparsity, a budget the per-layer sparsities are searched for.
struct BudgetArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Choose each layer's sparsity so that top-1 on the validation data (--input, and --labels or else the float model's own top-1) stays within P points of the float model, pruning as much as that allows.",
            valueName: "P"))
    var maxAccuracyDrop: Double?

    @Option(
        help: ArgumentHelp(
            "Choose each layer's sparsity so that the int8 C's constant data (weights, indices, metadata, tables) fits in BYTES, keeping as much top-1 on --input/--labels as possible (needs --quantize int8).",
            valueName: "BYTES"))
    var flashBudget: Int?

    @Option(
        help: ArgumentHelp(
            "The sparsities the budget search may give a layer (default 0.3,0.5,0.6,0.7,0.75,0.8,0.85,0.9,0.925,0.95,0.97).",
            valueName: "LIST"))
    var budgetSparsities: String?

    func validate() throws {
        if maxAccuracyDrop != nil, flashBudget != nil {
            throw ValidationError("give --max-accuracy-drop or --flash-budget, not both")
        }
        if let maxAccuracyDrop, !(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 100) {
            throw ValidationError("--max-accuracy-drop is in points of top-1 accuracy, from 0 to 100; got \(maxAccuracyDrop)")
        }
        if let flashBudget, flashBudget <= 0 {
            throw ValidationError("--flash-budget is a positive number of bytes; got \(flashBudget)")
        }
        if budgetSparsities != nil, budget == nil {
            throw ValidationError("--budget-sparsities only applies with --max-accuracy-drop or --flash-budget")
        }
        _ = try levels
    }

    /// The budget asked for, if any.
    var budget: CompressionBudget? {
        if let maxAccuracyDrop { return .accuracyDrop(maxAccuracyDrop) }
        if let flashBudget { return .flashBytes(flashBudget) }
        return nil
    }

    /// The levels the search may use.
    var levels: [Double] {
        get throws {
            guard let budgetSparsities else { return BudgetSearch.defaultLevels }
            return try SparsityList.parse(budgetSparsities, option: "--budget-sparsities")
        }
    }
}
