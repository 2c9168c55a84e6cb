import Foundation

/// How much of the weights magnitude pruning removes: one fraction for every prunable layer
/// (`0.8`), or fractions for named Keras layers only (`fc1=0.9,fc2=0.5`).
public enum SparsityTarget: Equatable, Sendable {
    case uniform(Double)
    case perLayer([String: Double])

    /// Parses `0.8` or `fc1=0.9,fc2=0.5`; each fraction in `[0, 1)`. `option` and `pass`
    /// name the command-line option and the pass in errors.
    public init(parsing text: String, option: String = "--sparsity", pass: CompressionPass = .pruning) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("=") {
            self = .uniform(try Self.fraction(trimmed, what: option, pass: pass))
            return
        }
        var targets: [String: Double] = [:]
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CompressionError(pass, "cannot read '\(item)' in \(option) \(text); write LAYER=FRACTION, e.g. fc1=0.9,fc2=0.5")
            }
            guard targets[parts[0]] == nil else {
                throw CompressionError(pass, "layer '\(parts[0])' is given twice in \(option) \(text)")
            }
            targets[parts[0]] = try Self.fraction(parts[1], what: "the fraction for '\(parts[0])'", pass: pass)
        }
        guard !targets.isEmpty else {
            throw CompressionError(pass, "\(option) \(text) names no layer")
        }
        self = .perLayer(targets)
    }

    static func fraction(_ text: String, what: String, pass: CompressionPass) throws -> Double {
        guard let value = Double(text), value >= 0, value < 1 else {
            throw CompressionError(pass, "\(what) must be a fraction in [0, 1), e.g. 0.8; got '\(text)'")
        }
        return value
    }
}
