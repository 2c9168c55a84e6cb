/// How calibration turns the activations seen on the calibration data into a range.
public enum CalibrationMethod: String, Equatable, Sendable, CaseIterable {
    /// The smallest and largest value seen: nothing clips, outliers cost resolution.
    case minmax
    /// The 0.01th and 99.99th percentiles: the rarest extremes clip.
    case percentile
    /// The range, among shrunken versions of the min/max range, whose int8 rounding and
    /// clipping has the smallest mean squared error on the values seen.
    case mse
}
