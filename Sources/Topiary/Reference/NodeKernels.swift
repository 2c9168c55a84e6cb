/// One kernel per node of a checked graph (nil for the inputs) and when each node's value is
/// last read: what the float and the int8 engines prepare once and then run for every sample.
struct NodeKernels<Kernel: Sendable>: Sendable {
    let kernels: [Kernel?]
    let lastReaders: [Int]

    /// Checks the whole graph (`Graph.validate()`), then builds each node's kernel, which
    /// checks the node's weights and shapes as it reads them.
    init(_ graph: Graph, kernel: (Node) throws -> Kernel?) throws {
        try graph.validate()
        kernels = try graph.nodes.map(kernel)
        lastReaders = graph.lastReaders
    }

    /// Runs every computed node's kernel in order over `inputs` (`Graph.evaluate`).
    func evaluate<Value>(_ graph: Graph, _ inputs: [Value], keepAll: Bool, forward: (Kernel, [Value]) throws -> Value) throws -> [Value?] {
        try graph.evaluate(inputs, lastReaders: lastReaders, keepAll: keepAll) { try forward(kernels[$0]!, $1) }
    }
}
