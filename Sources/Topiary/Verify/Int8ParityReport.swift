/// How the generated C of an int8 model compared with the Swift integer reference: every
/// int8 output element must be identical (`passed` needs zero mismatches), and the float
/// entry point must give exactly the reference's dequantized values.
public struct Int8ParityReport: Equatable, Sendable {
    /// A sample where the two sides differ.
    public struct Mismatch: Equatable, Sendable {
        public var sample: Int
        public var output: Int
        public var element: Int
        public var generated: Int8
        public var reference: Int8
    }

    public var samples: Int
    /// Samples with at least one differing int8 output value.
    public var mismatchedSamples: Int
    /// Differing int8 output values, over all samples.
    public var mismatchedValues: Int
    /// Largest difference, in int8 steps.
    public var largestDifference: Int
    /// The first mismatch, if any.
    public var first: Mismatch?
    /// Float outputs of `NAME_predict` that are not bit-identical to the reference's.
    public var floatMismatches: Int
    public var compileCommand: String
    public var compilerOutput: String

    public var passed: Bool { mismatchedValues == 0 && floatMismatches == 0 }
}

extension Int8ParityReport: CustomStringConvertible {
    public var description: String {
        var lines = ["compared \(samples) sample\(samples == 1 ? "" : "s") of the generated int8 C with the Swift integer reference"]
        if let first {
            lines.append("\(mismatchedSamples) sample(s), \(mismatchedValues) int8 value(s) differ (largest difference \(largestDifference)); first: sample \(first.sample), output \(first.output), element \(first.element): C \(first.generated), reference \(first.reference)")
        } else {
            lines.append("NAME_predict_int8: every int8 output value is identical (0 mismatches)")
        }
        lines.append(floatMismatches == 0 ? "NAME_predict: every float output is bit-identical"
                                          : "NAME_predict: \(floatMismatches) float output value(s) differ")
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }
}
