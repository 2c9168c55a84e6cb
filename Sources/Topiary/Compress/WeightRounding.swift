/// How int8 quantization turns each float weight into an integer at its channel's scale.
public enum WeightRounding: String, Equatable, Sendable, CaseIterable {
    /// Each weight to the nearest step, alone.
    case nearest
    /// One input at a time, the weights not yet rounded updated to make up for the rounding
    /// error on the calibration inputs (`CompensatedRounding`).
    case compensated
}
