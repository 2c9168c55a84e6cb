/// How a layer's output relates to memory, which decides what the planner must allocate.
public enum OutputStorage: Equatable, Sendable {
    /// A new buffer that must not overlap the inputs (matrix products, windows, copies).
    case fresh
    /// May be written over the first input when nothing reads that input afterwards
    /// (element-wise kernels that read element `i` before writing it).
    case inPlace
    /// No data moves: the output *is* the first input, relabelled (Flatten, Reshape, Dropout).
    case alias
}

/// Where a node's output lives while the generated inference function runs.
public enum TensorLocation: Equatable, Sendable {
    /// In the caller's buffer for model input `index`.
    case input(Int)
    /// In the arena, at this byte offset.
    case arena(Int)
}

/// The activation memory of one graph: which buffer holds each node's output, where every
/// buffer sits in the arena, and how large the arena is.
///
/// Lifetimes come from the graph (liveness): a node's output is needed from the step that
/// computes it to the last step that reads it, directly or through aliases; model outputs are
/// needed to the end, when they are copied to the caller. Model inputs stay in the caller's
/// buffers and take no arena. Buffers whose lifetimes do not overlap share memory
/// (`MemoryPlanner`), and an in-place layer reuses its input's buffer when the input dies there.
///
/// An int8 model's float entry points quantize each input into the arena before the inference
/// runs and receive each output there after it: those copies are planned too, an input's
/// until its last reader, an output's at the final copy, so that they share the memory of
/// activations alive at other steps instead of following them.
public struct ActivationPlan: Equatable, Sendable {
    /// The location of each node's output, by node index.
    public var locations: [TensorLocation]
    /// Byte offset of each node's scratch buffer, when it needs one.
    public var scratchOffsets: [Int?]
    /// Byte offsets of the float entry points' int8 copies of the model inputs and outputs
    /// (empty when none were asked for).
    public var stagedInputOffsets: [Int]
    public var stagedOutputOffsets: [Int]
    /// The bytes of those copies, all together (0 when none were asked for).
    public var stagedBytes: Int
    /// Whether each node writes over its first input's buffer.
    public var inPlace: [Bool]
    /// Bytes the arena must have: the planned peak.
    public var arenaBytes: Int
    /// What the same graph would take with one buffer per computed tensor and per scratch
    /// area, none shared and nothing in place.
    public var unsharedBytes: Int
    /// Number of distinct arena buffers after aliasing and in-place reuse.
    public var bufferCount: Int

    /// Plans `graph`, whose node `i` stores its output as `storage[i]` (ignored for input
    /// nodes) and needs `scratchBytes[i]` bytes of scratch. `elementBytes` is the size of one
    /// tensor element. `stagedInputBytes` and `stagedOutputBytes` (one per model input and
    /// output, or empty) are the float entry points' copies to place as well.
    public init(
        graph: Graph, storage: [OutputStorage], scratchBytes: [Int], elementBytes: Int = 4,
        stagedInputBytes: [Int] = [], stagedOutputBytes: [Int] = [], planner: MemoryPlanner = MemoryPlanner()
    ) {
        let count = graph.nodes.count
        precondition(storage.count == count && scratchBytes.count == count, "one storage and scratch size per node")
        // Last step that reads each value; model outputs are read by the final copy, at step `count`.
        let lastUse = graph.lastReaders

        struct Buffer {
            var bytes: Int
            var first: Int
            var values: [Int]
            var isScratch: Bool
        }
        var buffers: [Buffer] = []
        var bufferOf = [Int?](repeating: nil, count: count)
        var externalOf = [Int?](repeating: nil, count: count)
        var scratchBuffer = [Int?](repeating: nil, count: count)
        var inPlace = [Bool](repeating: false, count: count)
        var unshared = 0

        for (index, node) in graph.nodes.enumerated() {
            let bytes = node.outputShape.elementCount * elementBytes
            if case .input = node.op {
                externalOf[index] = graph.inputs.firstIndex(of: index) ?? 0
                continue
            }
            let source = node.inputs.first
            switch storage[index] {
            case .alias where source != nil:
                bufferOf[index] = bufferOf[source!]
                externalOf[index] = externalOf[source!]
                if let buffer = bufferOf[index] { buffers[buffer].values.append(index) }
            case .inPlace
            where source != nil
                && Self.canReuse(
                    source!, for: index, graph: graph,
                    bufferOf: bufferOf, values: { buffers[$0].values }, lastUse: lastUse):
                let buffer = bufferOf[source!]!
                bufferOf[index] = buffer
                buffers[buffer].values.append(index)
                inPlace[index] = true
                unshared += planner.align(bytes)
            default:
                bufferOf[index] = buffers.count
                buffers.append(Buffer(bytes: bytes, first: index, values: [index], isScratch: false))
                unshared += planner.align(bytes)
            }
            if scratchBytes[index] > 0 {
                scratchBuffer[index] = buffers.count
                buffers.append(Buffer(bytes: scratchBytes[index], first: index, values: [], isScratch: true))
                unshared += planner.align(scratchBytes[index])
            }
        }

        var requests = buffers.map { buffer in
            let last = buffer.isScratch ? buffer.first : buffer.values.map { lastUse[$0] }.max() ?? buffer.first
            return MemoryPlanner.Request(bytes: buffer.bytes, first: buffer.first, last: max(last, buffer.first))
        }
        // A staged input is written before the first step and read, directly or through
        // aliases, until its last reader; a staged output is written by the final copy (step
        // `count`), while every model output is still alive.
        let stagedInputs = stagedInputBytes.indices.map { k in
            let readers = graph.nodes.indices.filter { externalOf[$0] == k }.map { lastUse[$0] }
            return MemoryPlanner.Request(bytes: stagedInputBytes[k], first: 0, last: max(0, readers.max() ?? 0))
        }
        let stagedOutputs = stagedOutputBytes.map { MemoryPlanner.Request(bytes: $0, first: count, last: count) }
        requests += stagedInputs + stagedOutputs
        unshared += (stagedInputBytes + stagedOutputBytes).map(planner.align).reduce(0, +)
        let plan = planner.plan(requests)
        stagedInputOffsets = Array(plan.offsets[buffers.count..<(buffers.count + stagedInputs.count)])
        stagedOutputOffsets = Array(plan.offsets[(buffers.count + stagedInputs.count)...])
        stagedBytes = (stagedInputBytes + stagedOutputBytes).reduce(0, +)
        locations = (0..<count).map { index in
            if let buffer = bufferOf[index] { return .arena(plan.offsets[buffer]) }
            return .input(externalOf[index] ?? 0)
        }
        scratchOffsets = scratchBuffer.map { $0.map { plan.offsets[$0] } }
        self.inPlace = inPlace
        arenaBytes = plan.peakBytes
        unsharedBytes = unshared
        bufferCount = requests.count
    }

    /// True when node `index` may overwrite the buffer holding its first input `source`: the
    /// buffer is in the arena, nothing in it is read after this node, and no other input of
    /// this node lives in it.
    private static func canReuse(
        _ source: Int, for index: Int, graph: Graph, bufferOf: [Int?],
        values: (Int) -> [Int], lastUse: [Int]
    ) -> Bool {
        guard let buffer = bufferOf[source] else { return false }
        guard values(buffer).allSatisfy({ lastUse[$0] <= index }) else { return false }
        return graph.nodes[index].inputs.filter { bufferOf[$0] == buffer }.count == 1
    }
}
