import Foundation

/// How far a compressed model's outputs are from the float model's on the same samples: what
/// pruning and quantization cost, measured rather than assumed. `convert`, `evaluate` and
/// `verify` print it whenever compression is applied and data is at hand.
///
/// Per model output: top-1 agreement (for an output that is a class distribution), accuracy of
/// both models and its change when labels are given, the cosine similarity of all output values,
/// the signal-to-noise ratio of the compressed outputs (float output as signal, difference as
/// noise) and the largest absolute difference.
public struct FidelityReport: Codable, Equatable, Sendable {
    /// One model output's figures.
    public struct Output: Codable, Equatable, Sendable {
        /// The output node's name.
        public var name: String
        /// True when the output ends in softmax (a class distribution), so top-1 agreement means
        /// something; false for regression and other outputs, where only the error figures apply.
        public var classifier: Bool
        /// Percent of the top-1 decisions (one per sample, or per position of a per-position
        /// classifier) on which the two models agree; `nil` when `classifier` is false.
        public var agreement: Double?
        /// Top-1 accuracy in percent of the float and the compressed model against the labels,
        /// and the change in points; `nil` without labels or for regression.
        public var floatAccuracy: Double?
        public var compressedAccuracy: Double?
        public var accuracyChange: Double?
        /// Mean absolute error against the labels of a regression output; `nil` otherwise.
        public var floatMeanAbsoluteError: Double?
        public var compressedMeanAbsoluteError: Double?
        /// Cosine of the angle between all float and all compressed output values.
        public var cosineSimilarity: Double
        /// Mean over samples of each sample's `10 log10(Σ float² / Σ (float − compressed)²)`,
        /// the typical sample's signal-to-noise ratio; samples whose outputs are identical are
        /// left out, and one whose float output is all zero counts as −100 dB. `nil` when every
        /// sample is identical.
        public var snrDecibels: Double?
        /// The same ratio over all output values of all samples at once, which a few samples
        /// with large errors (a class flipped) dominate; `nil` when the outputs are identical.
        public var overallSnrDecibels: Double?
        /// Largest `|float − compressed|` over every sample and element.
        public var maxAbsoluteError: Double
    }

    /// Samples compared.
    public var samples: Int
    /// Where they came from (file names).
    public var data: String
    public var outputs: [Output]

    /// Agreement below this (percent) is a model that decides differently too often to ship unseen.
    public static let agreementWarning = 98.0
    /// SNR below this (dB) is an output dominated by compression noise.
    public static let snrWarning = 20.0

    /// Compares `float` and `compressed` outputs (one array per model output, samples along the
    /// first axis) of `original`, the float graph. `labels`, when given, are scored against
    /// output `labelledOutput` as `Evaluation.score` scores them.
    public init(
        original: Graph, float: [NDArray], compressed: [NDArray], data: String, labels: NDArray? = nil,
        labelledOutput: Int = 0, labelsName: String = "labels"
    ) throws {
        samples = float.first?.sampleCount ?? 0
        self.data = data
        outputs = try float.indices.map { k in
            let node = original.nodes[original.outputs[k]]
            var output = Self.compare(float[k], compressed[k], name: node.name, classifier: Self.isClassDistribution(node))
            if let labels, k == labelledOutput {
                let before = try Evaluation.score(predictions: float[k], labels: labels, labelsName: labelsName)
                let after = try Evaluation.score(predictions: compressed[k], labels: labels, labelsName: labelsName)
                switch (before, after) {
                case let (.accuracy(a, n), .accuracy(b, _)) where n > 0:
                    output.floatAccuracy = 100 * Double(a) / Double(n)
                    output.compressedAccuracy = 100 * Double(b) / Double(n)
                    output.accuracyChange = 100 * Double(b - a) / Double(n)
                case let (.meanAbsoluteError(a, _), .meanAbsoluteError(b, _)):
                    output.floatMeanAbsoluteError = a
                    output.compressedMeanAbsoluteError = b
                default:
                    break
                }
            }
            return output
        }
    }

    /// The figures that need no labels, for one output.
    static func compare(_ float: NDArray, _ compressed: NDArray, name: String, classifier: Bool) -> Output {
        var dot = 0.0, floatNorm = 0.0, compressedNorm = 0.0, noise = 0.0, largest = 0.0
        for (f, c) in zip(float.values, compressed.values) {
            let (f, c) = (Double(f), Double(c))
            dot += f * c
            floatNorm += f * f
            compressedNorm += c * c
            noise += (f - c) * (f - c)
            largest = max(largest, abs(f - c))
        }
        let norms = (floatNorm * compressedNorm).squareRoot()
        // Two all-zero outputs point the same way; one zero output against another does not.
        let cosine = norms > 0 ? dot / norms : (floatNorm == compressedNorm ? 1 : 0)
        let overall: Double? = noise > 0 ? 10 * log10(floatNorm / noise) : nil
        let width = float.sampleShape.elementCount
        var perSample: [Double] = []
        for sample in 0..<float.sampleCount {
            var signal = 0.0, error = 0.0
            for i in (sample * width)..<((sample + 1) * width) {
                let (f, c) = (Double(float.values[i]), Double(compressed.values[i]))
                signal += f * f
                error += (f - c) * (f - c)
            }
            guard error > 0 else { continue }
            perSample.append(signal > 0 ? max(-100, 10 * log10(signal / error)) : -100)
        }
        let snr: Double? = perSample.isEmpty ? nil : perSample.reduce(0, +) / Double(perSample.count)
        var agreement: Double?
        let classes = float.sampleShape.last ?? 1
        if classifier, classes > 1 {
            let a = Evaluation.argmaxes(float.values, classes: classes)
            let b = Evaluation.argmaxes(compressed.values, classes: classes)
            agreement = a.isEmpty ? nil : 100 * Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
        }
        return Output(
            name: name, classifier: agreement != nil, agreement: agreement, cosineSimilarity: cosine, snrDecibels: snr,
            overallSnrDecibels: overall, maxAbsoluteError: largest)
    }

    /// True when `node`'s output is a softmax over classes.
    static func isClassDistribution(_ node: Node) -> Bool {
        switch node.fusedActivation {
        case .softmax, .logSoftmax: return (node.outputShape.last ?? 1) > 1
        default: return false
        }
    }

    /// True when some output falls below the agreement or SNR threshold.
    public var isPoor: Bool {
        outputs.contains { output in
            (output.agreement.map { $0 < Self.agreementWarning } ?? false)
                || (output.snrDecibels.map { $0 < Self.snrWarning } ?? false)
        }
    }
}

extension FidelityReport: CustomStringConvertible {
    /// One line per output: `fidelity vs float on 360 samples (input.npy): top-1 agreement 97.78%, …`.
    public var description: String {
        outputs.map { output in
            var parts: [String] = []
            if let agreement = output.agreement {
                parts.append("top-1 agreement \(Self.percent(agreement))")
            }
            if let a = output.floatAccuracy, let b = output.compressedAccuracy, let change = output.accuracyChange {
                parts.append("accuracy \(Self.percent(b)) (float \(Self.percent(a)), \(Self.signed(change)) points)")
            }
            if let a = output.floatMeanAbsoluteError, let b = output.compressedMeanAbsoluteError {
                parts.append("mean absolute error \(Self.number(b)) (float \(Self.number(a)))")
            }
            parts.append("cosine \(String(format: "%.6f", output.cosineSimilarity))")
            if let snr = output.snrDecibels, let overall = output.overallSnrDecibels {
                parts.append("SNR \(String(format: "%.1f", snr)) dB per sample (\(String(format: "%.1f", overall)) dB over all outputs)")
            } else {
                parts.append("SNR infinite (identical outputs)")
            }
            parts.append("max |error| \(Self.number(output.maxAbsoluteError))")
            let which = outputs.count > 1 ? " output '\(output.name.escapedForTerminal)'" : ""
            var line = "fidelity vs the float model\(which) on \(samples) sample\(samples == 1 ? "" : "s") (\(data)): "
            line += parts.joined(separator: ", ")
            if !output.classifier { line += "; no top-1 agreement: the output is not a softmax over classes" }
            return line
        }.joined(separator: "\n")
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value) }
    static func signed(_ value: Double) -> String { String(format: "%+.2f", value) }
    static func number(_ value: Double) -> String { String(format: "%.6g", value) }
}
