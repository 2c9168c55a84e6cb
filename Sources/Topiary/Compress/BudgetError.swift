/// A budget no per-layer sparsity can meet: the message says by how much, and the trial
/// that came closest is kept for whoever wants to report it.
public struct BudgetError: Error, Equatable, Sendable, CustomStringConvertible {
    public var budget: CompressionBudget
    public var message: String
    /// The configuration measured closest to the budget.
    public var closest: CompressionTrial

    public var description: String { "budget not met: \(message)" }
}
