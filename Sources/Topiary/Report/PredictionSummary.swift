/// What `topiary predict --json` prints: per model output its shape, each sample's top-1
/// class, and either the scores or the file they were written to.
public struct PredictionSummary: Codable, Equatable, Sendable {
    public struct Output: Codable, Equatable, Sendable {
        public var name: String
        /// One sample's output shape.
        public var shape: [Int]
        /// Each sample's first largest score, as `numpy.argmax` over the whole output.
        public var argmax: [Int]
        /// Each sample's output values, flattened; `nil` when they were written to `file`.
        public var scores: [[Float]]?
        public var file: String?
    }

    public var samples: Int
    public var outputs: [Output]

    /// `files`, when given, holds the path each output was written to.
    public init(outputs arrays: [NDArray], names: [String], files: [String]? = nil) {
        samples = arrays.first?.sampleCount ?? 0
        outputs = arrays.enumerated().map { k, array in
            let rows = (0..<array.sampleCount).map { array.sample($0).values }
            return Output(
                name: names[k], shape: array.sampleShape,
                argmax: rows.map { Evaluation.argmaxes($0, classes: $0.count).first ?? 0 },
                scores: files == nil ? rows : nil, file: files?[k])
        }
    }
}
