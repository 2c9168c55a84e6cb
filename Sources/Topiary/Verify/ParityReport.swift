/// How closely the generated C matched the Swift reference on a set of samples.
///
/// The error measure is the one the tolerance applies to, element by element:
/// `|c − y| / max(1, |y|)` for C output `c` and reference output `y` (absolute below 1,
/// relative above). A NaN on one side only counts as an infinite error.
public struct ParityReport: Equatable, Sendable {
    /// Where the largest error occurred and what the two sides computed there.
    public struct Worst: Equatable, Sendable {
        public var sample: Int
        public var output: Int
        public var element: Int
        public var generated: Float
        public var reference: Float
    }

    public var samples: Int
    /// Largest `|c − y|` over every sample, output and element.
    public var maxAbsoluteError: Float
    /// Largest `|c − y| / max(1, |y|)`, compared with `tolerance`.
    public var maxScaledError: Float
    /// Where `maxScaledError` occurred; `nil` when every element matched exactly.
    public var worst: Worst?
    public var tolerance: Float
    /// Flags the C was compiled with, for the record.
    public var compileCommand: String
    /// What the compiler printed (warnings), if anything.
    public var compilerOutput: String

    public var passed: Bool { maxScaledError <= tolerance }

    /// Compares C outputs with reference outputs, one flat array per model output holding
    /// every sample in order.
    init(generated: [[Float]], reference: [[Float]], outputSizes: [Int], samples: Int, tolerance: Float,
         compileCommand: String, compilerOutput: String) {
        self.samples = samples
        self.tolerance = tolerance
        self.compileCommand = compileCommand
        self.compilerOutput = compilerOutput
        var maxAbsolute: Float = 0
        var maxScaled: Float = 0
        var worst: Worst?
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
                maxAbsolute = max(maxAbsolute, absolute.isNaN ? .infinity : absolute)
                if scaled > maxScaled || (scaled.isNaN && !maxScaled.isNaN) {
                    maxScaled = scaled.isNaN ? .infinity : scaled
                    worst = Worst(sample: index / max(size, 1), output: output, element: index % max(size, 1), generated: c, reference: y)
                }
            }
        }
        maxAbsoluteError = maxAbsolute
        maxScaledError = maxScaled
        self.worst = worst
    }
}

extension ParityReport: CustomStringConvertible {
    public var description: String {
        var lines = ["compared \(samples) sample\(samples == 1 ? "" : "s") of the generated C with the Swift reference"]
        lines.append("max |error|: \(maxAbsoluteError)")
        if let worst {
            lines.append("worst: sample \(worst.sample), output \(worst.output), element \(worst.element): C \(worst.generated), reference \(worst.reference)")
        } else {
            lines.append("every output element is identical")
        }
        lines.append("max |error| / max(1, |reference|): \(maxScaledError), tolerance \(tolerance): \(passed ? "PASS" : "FAIL")")
        return lines.joined(separator: "\n")
    }
}
