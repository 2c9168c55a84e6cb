/// When the flash and RAM figures are measured by compiling the generated C for a Cortex-M
/// (the alternative is computing them from the weight and arena sizes).
public enum SizeMeasurement: String, CaseIterable, Sendable {
    /// Never compile: the figures are computed.
    case never
    /// Compile unless the C is larger than `autoLimitBytes`: compiling tens of megabytes of
    /// weight tables takes minutes and says little a computed figure does not.
    case auto
    /// Compile whatever the size (still within the compiler's time limit).
    case always

    /// The largest C source `auto` measures: 4 MiB.
    public static let autoLimitBytes = 4 << 20
}
