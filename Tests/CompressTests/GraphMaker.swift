import Testing
import Topiary

/// Builds small graphs by hand: an input node followed by the nodes added, each one's output
/// shape computed by `Op.outputShape(for:)`.
struct GraphMaker {
    var nodes: [Node] = []
    var inputs: [Int] = []

    @discardableResult
    mutating func input(_ shape: [Int], name: String? = nil) -> Int {
        nodes.append(Node(name: name ?? "input_\(inputs.count)", kerasClass: "InputLayer", op: .input, inputs: [], outputShape: shape))
        inputs.append(nodes.count - 1)
        return nodes.count - 1
    }

    /// Adds `op` reading `from` (default: the last node); returns its index.
    @discardableResult
    mutating func add(_ op: Op, from: [Int]? = nil, weights: [WeightRole: Tensor] = [:], name: String? = nil,
                      kerasClass: String = "Layer") -> Int {
        let sources = from ?? [nodes.count - 1]
        let shape = try! op.outputShape(for: sources.map { nodes[$0].outputShape })
        nodes.append(Node(name: name ?? "node_\(nodes.count)", kerasClass: kerasClass, op: op, inputs: sources,
                          outputShape: shape, weights: weights))
        return nodes.count - 1
    }

    func graph(outputs: [Int]? = nil) -> Graph {
        Graph(name: "test", nodes: nodes, inputs: inputs, outputs: outputs ?? [nodes.count - 1])
    }

    /// BatchNorm weights with distinct, non-trivial values per channel.
    static func batchNormWeights(_ channels: Int) -> [WeightRole: Tensor] {
        func t(_ f: (Int) -> Float) -> Tensor { Tensor(shape: [channels], values: (0..<channels).map(f)) }
        return [.gamma: t { 0.5 + Float($0) * 0.3 }, .beta: t { Float($0) * 0.2 - 0.1 },
                .movingMean: t { Float($0) * 0.1 - 0.2 }, .movingVariance: t { 0.4 + Float($0) * 0.5 }]
    }

    /// Seeded values in `range`, shaped.
    static func random(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: shape, values: (0..<shape.elementCount).map { _ in Float.random(in: range, using: &generator) })
    }
}
