/// The generated C of an int8 model computed something the Swift integer reference did not.
public struct Int8ParityError: Error, CustomStringConvertible, Sendable {
    public var report: Int8ParityReport

    public init(_ report: Int8ParityReport) {
        self.report = report
    }

    public var description: String {
        "the generated int8 C disagrees with the Swift integer reference: \(report.mismatchedValues) int8 value(s) in \(report.mismatchedSamples) sample(s), \(report.floatMismatches) float output(s); the kernels and the reference must use the same arithmetic — please report this with the model"
    }
}
