/// The generated C could not be checked, or disagreed with the reference.
public enum ParityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The outputs differ beyond what the comparison allows.
    case disagrees(ParityReport)
    /// The compiled driver failed (e.g. a sanitizer report, or the model returned an error).
    case driverFailed(status: Int32, output: String)
    /// The driver wrote fewer outputs than expected.
    case shortOutput(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .disagrees(report):
            switch report.comparison {
            case .tolerance:
                let location = report.worst.map { " at sample \($0.sample), output \($0.output), element \($0.element)" } ?? ""
                return
                    "the generated C differs from the Swift reference by \(report.maxScaledError)\(location), above the tolerance \(report.tolerance); please report this with the model"
            case .exact:
                return
                    "the generated int8 C disagrees with the Swift integer reference: \(report.mismatchedValues) int8 value(s) in \(report.mismatchedSamples) sample(s), \(report.floatMismatches) float output(s); the kernels and the reference must use the same arithmetic — please report this with the model"
            }
        case let .driverFailed(status, output):
            return "the compiled model failed (exit status \(status)):\n\(output)"
        case let .shortOutput(expected, got):
            return "the compiled model wrote \(got) output values, expected \(expected)"
        }
    }
}
