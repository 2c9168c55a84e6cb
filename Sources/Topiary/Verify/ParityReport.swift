/// How closely the generated C matched the Swift reference on a set of samples.
///
/// Float models are compared within a tolerance, element by element, on
/// `|c − y| / max(1, |y|)` for C output `c` and reference output `y` (absolute below 1,
/// relative above); a NaN on one side only counts as an infinite error. Int8 models are
/// compared for equality: every int8 output of `NAME_predict_int8` identical to the integer
/// reference's, and every float output of `NAME_predict` bit-identical to its dequantized one.
public struct ParityReport: Equatable, Sendable {
    /// What counts as agreeing.
    public enum Comparison: Equatable, Sendable {
        /// `|c − y| / max(1, |y|)` may not exceed the value (float models).
        case tolerance(Float)
        /// Every value identical (int8 models).
        case exact
    }

    /// Where the largest error occurred and what the two sides computed there.
    public struct Worst: Codable, Equatable, Sendable {
        public var sample: Int
        public var output: Int
        public var element: Int
        public var generated: Float
        public var reference: Float
    }

    public var samples: Int
    public var comparison: Comparison
    /// Largest `|c − y|` over every sample, output and element (in int8 steps for int8 models).
    public var maxAbsoluteError: Float
    /// Largest `|c − y| / max(1, |y|)`.
    public var maxScaledError: Float
    /// Where the largest error occurred; `nil` when every element matched exactly.
    public var worst: Worst?
    /// Samples with at least one value that does not agree.
    public var mismatchedSamples: Int
    /// Values that do not agree, over all samples.
    public var mismatchedValues: Int
    /// Int8 models: float outputs of `NAME_predict` that are not bit-identical to the
    /// reference's; always 0 for float models, whose float outputs are the ones compared.
    public var floatMismatches: Int
    /// Flags the C was compiled with, for the record.
    public var compileCommand: String
    /// What the compiler printed (warnings), if anything.
    public var compilerOutput: String

    /// The tolerance on the scaled error; 0 for an exact comparison.
    public var tolerance: Float {
        if case let .tolerance(value) = comparison { return value }
        return 0
    }

    public var passed: Bool {
        switch comparison {
        case let .tolerance(value): return maxScaledError <= value
        case .exact: return mismatchedValues == 0 && floatMismatches == 0
        }
    }

    /// Compares C outputs with reference outputs, one flat array per model output holding
    /// every sample in order.
    init(
        comparison: Comparison, generated: [[Float]], reference: [[Float]], outputSizes: [Int], samples: Int,
        floatMismatches: Int = 0, compileCommand: String, compilerOutput: String
    ) {
        self.samples = samples
        self.comparison = comparison
        self.floatMismatches = floatMismatches
        self.compileCommand = compileCommand
        self.compilerOutput = compilerOutput
        var maxAbsolute: Float = 0
        var maxScaled: Float = 0
        var worst: Worst?
        var mismatched = Set<Int>()
        var mismatchedValues = 0
        for output in outputSizes.indices {
            let size = outputSizes[output]
            for (index, (c, y)) in zip(generated[output], reference[output]).enumerated() {
                let absolute: Float
                if c.isNaN || y.isNaN {
                    absolute = c.isNaN && y.isNaN ? 0 : .infinity
                } else if c == y {
                    absolute = 0
                } else {
                    absolute = abs(c - y)
                }
                let scaled = absolute / max(1, abs(y))
                let sample = index / max(size, 1)
                let disagrees: Bool
                switch comparison {
                case let .tolerance(value): disagrees = !(scaled <= value)
                case .exact: disagrees = absolute != 0
                }
                if disagrees {
                    mismatched.insert(sample)
                    mismatchedValues += 1
                }
                maxAbsolute = max(maxAbsolute, absolute.isNaN ? .infinity : absolute)
                if scaled > maxScaled || (scaled.isNaN && !maxScaled.isNaN) {
                    maxScaled = scaled.isNaN ? .infinity : scaled
                    worst = Worst(sample: sample, output: output, element: index % max(size, 1), generated: c, reference: y)
                }
            }
        }
        maxAbsoluteError = maxAbsolute
        maxScaledError = maxScaled
        self.worst = worst
        mismatchedSamples = mismatched.count
        self.mismatchedValues = mismatchedValues
    }
}

extension ParityReport: CustomStringConvertible {
    public var description: String {
        switch comparison {
        case .tolerance:
            var lines = ["compared \(samples) sample\(samples == 1 ? "" : "s") of the generated C with the Swift reference"]
            lines.append("max |error|: \(maxAbsoluteError)")
            if let worst {
                lines.append(
                    "worst: sample \(worst.sample), output \(worst.output), element \(worst.element): C \(worst.generated), reference \(worst.reference)"
                )
            } else {
                lines.append("every output element is identical")
            }
            lines.append("max |error| / max(1, |reference|): \(maxScaledError), tolerance \(tolerance): \(passed ? "PASS" : "FAIL")")
            return lines.joined(separator: "\n")
        case .exact:
            var lines = ["compared \(samples) sample\(samples == 1 ? "" : "s") of the generated int8 C with the Swift integer reference"]
            if let worst {
                lines.append(
                    "\(mismatchedSamples) sample(s), \(mismatchedValues) int8 value(s) differ (largest difference \(Int(maxAbsoluteError))); worst: sample \(worst.sample), output \(worst.output), element \(worst.element): C \(Int(worst.generated)), reference \(Int(worst.reference))"
                )
            } else {
                lines.append("NAME_predict_int8: every int8 output value is identical (0 mismatches)")
            }
            lines.append(
                floatMismatches == 0
                    ? "NAME_predict: every float output is bit-identical"
                    : "NAME_predict: \(floatMismatches) float output value(s) differ")
            lines.append(passed ? "PASS" : "FAIL")
            return lines.joined(separator: "\n")
        }
    }
}
