/// What `topiary verify --json` prints: how the generated C compares with the Swift reference
/// (`ParityReport`), and how far the compressed model is from the float one, so a PASS of the
/// C cannot hide a model that compression broke.
public struct VerificationReport: Codable, Equatable, Sendable {
    public var samples: Int
    /// `bit-exact` for int8 models, `tolerance` for float ones.
    public var comparison: String
    /// The tolerance on `|C − reference| / max(1, |reference|)`; 0 for bit-exact.
    public var tolerance: Float
    public var maxAbsoluteError: Float
    public var maxScaledError: Float
    /// Where the C and the reference differ most.
    public var worst: ParityReport.Worst?
    public var mismatchedSamples: Int
    public var mismatchedValues: Int
    /// Int8 models: float outputs of `NAME_predict` not bit-identical to the reference's.
    public var floatMismatches: Int
    public var compileCommand: String
    public var passed: Bool
    /// The compressed model against the float model on the same samples; `nil` uncompressed.
    public var fidelity: FidelityReport?

    public init(parity: ParityReport, fidelity: FidelityReport?) {
        samples = parity.samples
        comparison = parity.comparison == .exact ? "bit-exact" : "tolerance"
        tolerance = parity.tolerance
        maxAbsoluteError = parity.maxAbsoluteError
        maxScaledError = parity.maxScaledError
        worst = parity.worst
        mismatchedSamples = parity.mismatchedSamples
        mismatchedValues = parity.mismatchedValues
        floatMismatches = parity.floatMismatches
        compileCommand = parity.compileCommand
        passed = parity.passed
        self.fidelity = fidelity
    }
}
