extension SensitivityReport {
    /// What `topiary sensitivity --json` prints: the table's figures.
    public struct Document: Codable, Equatable, Sendable {
        public struct Layer: Codable, Equatable, Sendable {
            public var name: String
            public var weights: Int
            /// Top-1 accuracy in percent with this layer alone pruned to each of `sparsities`.
            public var accuracies: [Double]
        }

        /// What the curves were made with, e.g. `obs pruning, int8`.
        public var method: String
        public var samples: Int
        public var floatAccuracy: Double
        /// The model with the other compression options and no pruning.
        public var unprunedAccuracy: Double
        public var sparsities: [Double]
        public var layers: [Layer]
    }

    public var document: Document {
        Document(
            method: method, samples: curves.reference.total, floatAccuracy: curves.reference.accuracy,
            unprunedAccuracy: curves.unpruned.score.accuracy, sparsities: curves.sparsities,
            layers: curves.layers.enumerated().map { l, name in
                Document.Layer(name: name, weights: curves.unpruned.layers[l].weights, accuracies: curves.accuracies(l))
            })
    }
}
