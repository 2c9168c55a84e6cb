/// What `topiary evaluate --json` prints: the float model's score on the labelled data and,
/// with compression, the compressed model's, the change and the fidelity report.
public struct EvaluationReport: Codable, Equatable, Sendable {
    /// An `EvaluationResult` as JSON: accuracy (percent, with the counts) or mean absolute error.
    public struct Score: Codable, Equatable, Sendable {
        public var accuracy: Double?
        public var correct: Int?
        public var total: Int?
        public var meanAbsoluteError: Double?
        /// Values the mean absolute error averages.
        public var count: Int?

        public init(_ result: EvaluationResult) {
            switch result {
            case let .accuracy(correct, total):
                accuracy = total == 0 ? 0 : 100 * Double(correct) / Double(total)
                self.correct = correct
                self.total = total
            case let .meanAbsoluteError(value, count):
                meanAbsoluteError = value
                self.count = count
            }
        }
    }

    public var float: Score
    public var compressed: Score?
    /// The compression options as given.
    public var options: String?
    /// Compressed minus float accuracy, in points.
    public var change: Double?
    public var fidelity: FidelityReport?

    public init(float: EvaluationResult, compressed: EvaluationResult? = nil, options: String? = nil, fidelity: FidelityReport? = nil) {
        self.float = Score(float)
        self.compressed = compressed.map(Score.init)
        self.options = options
        if case let .accuracy(a, n) = float, case let .accuracy(b, _)? = compressed, n > 0 {
            change = 100 * Double(b - a) / Double(n)
        }
        self.fidelity = fidelity
    }
}
