/// The samples fine-tuning trains on (one array of input tensors each; nil: the calibration
/// samples) and their class labels, when there are any.
public struct FineTuningData: Sendable {
    public var samples: [[Tensor]]?
    public var labels: [Int]?

    public init(samples: [[Tensor]]? = nil, labels: [Int]? = nil) {
        self.samples = samples
        self.labels = labels
    }
}
