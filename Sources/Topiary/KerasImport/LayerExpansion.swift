/// The graph nodes one call of a Keras layer becomes: one node for most layers, several for a
/// wrapper (`Bidirectional` runs two recurrent nodes and merges them, `TimeDistributed` may
/// apply its layer once per time step).
struct LayerExpansion {
    /// Groups of stored weights, in the order Keras stores them: a `Bidirectional` has its
    /// forward layer's then its backward layer's.
    var parts: [WeightPart]
    var nodes: [PlannedNode]
    /// The planned node whose output is each of the layer's output tensors.
    var outputs: [Int]

    /// The weights one inner layer reads, and the values of those the file does not hold.
    struct WeightPart {
        var weights: [ExpectedWeight]
        var defaults: [WeightRole: Tensor] = [:]
    }

    /// Where a planned node reads from: one of the layer's inputs, or an earlier planned node.
    enum Source {
        case input(Int)
        case node(Int)
    }

    /// One node of the expansion.
    struct PlannedNode {
        /// Appended to the layer's name to name the node (`/forward`, `/step3`); empty for the
        /// layer's own node.
        var nameSuffix: String
        /// Appended to the layer's name to name the weights' owner: the nodes of one owner share
        /// their weights (packed once in the C, pruned together).
        var ownerSuffix: String
        /// The Keras class the node comes from, when not the layer's own (a wrapped layer's).
        var kerasClass: String?
        var op: Op
        var inputs: [Source]
        /// The weight part the node uses, if any.
        var part: Int?
    }

    /// A layer that becomes one node reading all the layer's inputs.
    init(op: Op, weights: [ExpectedWeight], defaults: [WeightRole: Tensor], inputCount: Int) {
        parts = [WeightPart(weights: weights, defaults: defaults)]
        nodes = [
            PlannedNode(
                nameSuffix: "", ownerSuffix: "", kerasClass: nil, op: op, inputs: (0..<inputCount).map { .input($0) }, part: 0)
        ]
        outputs = [0]
    }

    init(parts: [WeightPart], nodes: [PlannedNode], outputs: [Int]) {
        self.parts = parts
        self.nodes = nodes
        self.outputs = outputs
    }
}
