/// What `--format auto` weighs when it picks each layer's storage format: estimated
/// Cortex-M4 instructions (`FormatCost`), bytes, or both.
public enum OptimizationGoal: String, Equatable, Sendable, CaseIterable {
    /// The fewest estimated instructions (ties to the fewer bytes).
    case speed
    /// The fewest bytes, whatever the time.
    case size
    /// The fewest bytes among the formats no slower than dense; a slower one only when it
    /// stores the layer in at most a quarter of the dense bytes and costs at most twice the
    /// dense instructions (see `FormatCost.balancedByteShare`). Packings whose bytes differ by
    /// less than a sixteenth of the dense bytes count as equal, and the faster is taken.
    case balanced
}
