/// Names of the weight tensors a node can hold; each `Op` documents which it uses.
public enum WeightRole: String, Hashable, Sendable, CaseIterable, Comparable {
    case kernel, bias, depthwiseKernel, pointwiseKernel, recurrentKernel
    case gamma, beta, movingMean, movingVariance
    case alpha, embeddings, mean, variance

    public static func < (lhs: WeightRole, rhs: WeightRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One computation in the graph: a Keras layer applied once.
public struct Node: Equatable, Sendable {
    /// Unique within the graph: the Keras layer name (prefixed by the models it was nested in,
    /// `backbone/conv1`; extended for the nodes a wrapper becomes, `bidirectional/forward`),
    /// suffixed `#2`, `#3`… for the later calls of a layer that is applied more than once.
    public var name: String
    /// The Keras layer's name (shared by every call of a shared layer).
    public var layerName: String
    /// The Keras class name, e.g. `Conv2D`.
    public var kerasClass: String
    public var op: Op
    /// Indices of the nodes whose outputs this node reads, in order.
    public var inputs: [Int]
    /// Shape of the output without the batch axis.
    public var outputShape: [Int]
    public var weights: [WeightRole: Tensor]
    /// Parameters as Keras counts them (trainable and not) for this layer; zero on the later
    /// calls of a shared layer so that the sum over nodes is the model's total.
    public var parameterCount: Int
    /// The node's int8 quantization, once the quantizer has run; `nil` in a float graph.
    public var quantization: NodeQuantization? = nil

    public init(
        name: String, layerName: String? = nil, kerasClass: String, op: Op, inputs: [Int], outputShape: [Int],
        weights: [WeightRole: Tensor] = [:], parameterCount: Int? = nil
    ) {
        self.name = name
        self.layerName = layerName ?? name
        self.kerasClass = kerasClass
        self.op = op
        self.inputs = inputs
        self.outputShape = outputShape
        self.weights = weights
        self.parameterCount = parameterCount ?? weights.values.reduce(0) { $0 + $1.count }
    }

    /// The activation fused into this node, if its op carries one.
    public var fusedActivation: Activation? {
        switch op {
        case let .dense(d): return d.activation
        case let .conv(c): return c.activation
        case let .depthwiseConv(c): return c.activation
        case let .separableConv(c): return c.activation
        case let .activation(a): return a
        case let .recurrent(r): return r.activation
        default: return nil
        }
    }
}

/// A model as typed nodes in topological order: every node's inputs come before it.
public struct Graph: Equatable, Sendable {
    public var name: String
    public var nodes: [Node]
    /// Indices of the `.input` nodes, in the model's input order.
    public var inputs: [Int]
    /// Indices of the nodes whose outputs are the model's outputs, in order.
    public var outputs: [Int]
    /// Provenance, e.g. `keras 3.12.0`; informational only.
    public var producer: String

    public init(name: String, nodes: [Node], inputs: [Int], outputs: [Int], producer: String = "") {
        self.name = name
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.producer = producer
    }

    /// Total parameters as Keras's `count_params()` reports them.
    public var parameterCount: Int { nodes.reduce(0) { $0 + $1.parameterCount } }

    public subscript(index: Int) -> Node {
        get { nodes[index] }
        set { nodes[index] = newValue }
    }

    public func index(named name: String) -> Int? {
        nodes.firstIndex { $0.name == name }
    }

    /// True when `node`'s Keras layer is applied more than once (its weights shared by every
    /// application): a pass that changes one application's weights would part it from the others.
    func isShared(_ node: Node) -> Bool {
        nodes.filter { $0.layerName == node.layerName }.count > 1
    }

    /// For each node, the nodes that read its output.
    public func consumers() -> [[Int]] {
        var result = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where !result[input].contains(index) {
                result[input].append(index)
            }
        }
        return result
    }
}
