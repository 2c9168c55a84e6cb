import Topiary

/// Small graphs built in code, for tests that need a precise structure or hostile names.
public enum HandMadeGraphs {
    /// A dense node with deterministic weights.
    public static func dense(
        _ name: String, input: Int, width: Int, units: Int, activation: Activation = .plainRelu,
        seed: Int = 0
    ) -> Node {
        var generator = SeededGenerator(seed: UInt64(seed) &+ name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })
        let kernel = (0..<(width * units)).map { _ in Float.random(in: -1...1, using: &generator) }
        let bias = (0..<units).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
        return Node(
            name: name, kerasClass: "Dense", op: .dense(Dense(units: units, useBias: true, activation: activation)),
            inputs: [input], outputShape: [units],
            weights: [.kernel: Tensor(shape: [width, units], values: kernel), .bias: Tensor(shape: [units], values: bias)])
    }

    public static func input(_ name: String, width: Int) -> Node {
        Node(name: name, kerasClass: "InputLayer", op: .input, inputs: [], outputShape: [width])
    }

    /// Two Dense layers whose weights differ in scale: `a` small (|w| ≤ `smallScale`, ReLU),
    /// then `b` large (|w| ≤ 2), of `widths` input → a → b; biases 0.1 and 0.3. Pruning by
    /// magnitude over both at once would take `a` first.
    public static func smallThenLarge(_ widths: [Int], smallScale: Float, seeds: (UInt64, UInt64)) throws -> Graph {
        var g = GraphBuilder()
        g.input([widths[0]])
        try g.dense(
            randomTensor([widths[0], widths[1]], in: -smallScale...smallScale, seed: seeds.0),
            bias: Tensor(filling: 0.1, shape: [widths[1]]), activation: .plainRelu, name: "a")
        try g.dense(
            randomTensor([widths[1], widths[2]], in: -2...2, seed: seeds.1), bias: Tensor(filling: 0.3, shape: [widths[2]]), name: "b")
        return g.graph()
    }

    /// input → a → (b, c) → add(b, c): a diamond, where `a` must live until both branches ran.
    public static func diamond(width: Int = 16) -> Graph {
        let nodes = [
            input("x", width: 8),
            dense("a", input: 0, width: 8, units: width),
            dense("b", input: 1, width: width, units: width),
            dense("c", input: 1, width: width, units: width, activation: .tanh),
            Node(name: "sum", kerasClass: "Add", op: .merge(.add), inputs: [2, 3], outputShape: [width]),
            dense("head", input: 4, width: width, units: 4, activation: .softmax(axis: 0)),
        ]
        return Graph(name: "diamond", nodes: nodes, inputs: [0], outputs: [5])
    }

    /// A chain of dense layers of the given widths, starting from an input of `widths[0]`.
    public static func chain(_ widths: [Int]) -> Graph {
        var nodes = [input("x", width: widths[0])]
        for (index, width) in widths.dropFirst().enumerated() {
            nodes.append(dense("d\(index)", input: index, width: widths[index], units: width))
        }
        return Graph(name: "chain", nodes: nodes, inputs: [0], outputs: [nodes.count - 1])
    }
}
