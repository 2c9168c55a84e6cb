/// How a layer's output relates to memory, which decides what the planner must allocate.
public enum OutputStorage: Equatable, Sendable {
    /// A new buffer that must not overlap the inputs (matrix products, windows, copies).
    case fresh
    /// May be written over the first input when nothing reads that input afterwards
    /// (element-wise kernels that read element `i` before writing it).
    case inPlace
    /// No data moves: the output *is* the first input, relabelled (Flatten, Reshape, Dropout).
    case alias
    /// May start before the first input and overlap it, when nothing reads that input
    /// afterwards, as far as the kernel's order of reads and writes allows
    /// (`KernelAccessOrder.overlapOffset`); otherwise a new buffer, as `fresh`.
    case overlapping(KernelAccessOrder)
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
/// A layer whose kernel declares its order of reads and writes (`OutputStorage.overlapping`)
/// may place its output over an input that dies there, starting as far before it as the order
/// allows: a buffer of its own linked to the input's (`MemoryPlanner.Request.linkedTo`). Such
/// overlaps drift: each puts the next tensor further before the last, which can push other
/// buffers aside. So each is kept, in graph order, only when the arena does not grow with it,
/// and the plan with the overlaps kept replaces the one without only when its arena is smaller.
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
    /// For each node whose output overlaps its first input, the bytes from the input's start
    /// to the output's (at most 0: the output starts that far before the input); nil for the
    /// others.
    public var overlapOffsets: [Int?]
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
        // The offset each layer's kernel allows its output from its input, whatever the liveness.
        let allowed = graph.nodes.indices.map { index -> Int? in
            guard case let .overlapping(order) = storage[index], let source = graph.nodes[index].inputs.first else { return nil }
            return order.overlapOffset(
                inputBytes: graph.nodes[source].outputShape.elementCount * elementBytes,
                outputBytes: graph.nodes[index].outputShape.elementCount * elementBytes, alignment: planner.alignment)
        }
        func plan(_ offsets: [Int?]) -> ActivationPlan {
            ActivationPlan(
                graph: graph, storage: storage, scratchBytes: scratchBytes, elementBytes: elementBytes,
                stagedInputBytes: stagedInputBytes, stagedOutputBytes: stagedOutputBytes, planner: planner, offsets: offsets)
        }
        let fresh = plan(allowed.map { _ in nil })
        // In graph order, each overlap that does not grow the arena is kept: one alone seldom
        // lowers the peak, a chain of them does, and one that drifts its chain too far is left out.
        var chosen = fresh
        var offsets = [Int?](repeating: nil, count: allowed.count)
        for index in allowed.indices where allowed[index] != nil {
            offsets[index] = allowed[index]
            let trial = plan(offsets)
            if trial.arenaBytes <= chosen.arenaBytes { chosen = trial } else { offsets[index] = nil }
        }
        // Then, last first, each kept overlap the arena does not need is left out: every one
        // moves its tensors off the offsets their neighbours share, which costs the calls code
        // (pointers the compiler no longer finds in a register) and saves nothing.
        for index in offsets.indices.reversed() where offsets[index] != nil {
            offsets[index] = nil
            let trial = plan(offsets)
            if trial.arenaBytes <= chosen.arenaBytes { chosen = trial } else { offsets[index] = allowed[index] }
        }
        // Without overlaps unless they make the arena smaller: the plan stays as it was otherwise.
        self = chosen.arenaBytes < fresh.arenaBytes ? chosen : fresh
    }

    /// The plan in which node `i`'s output starts `offsets[i]` bytes from its first input's
    /// start when that input dies there, and in a buffer of its own when `offsets[i]` is nil.
    private init(
        graph: Graph, storage: [OutputStorage], scratchBytes: [Int], elementBytes: Int, stagedInputBytes: [Int],
        stagedOutputBytes: [Int], planner: MemoryPlanner, offsets: [Int?]
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
            /// For an output over its input: the input's buffer and the offset from it.
            var linkedTo: Int? = nil
            var linkOffset = 0
        }
        var buffers: [Buffer] = []
        var bufferOf = [Int?](repeating: nil, count: count)
        var externalOf = [Int?](repeating: nil, count: count)
        var scratchBuffer = [Int?](repeating: nil, count: count)
        var inPlace = [Bool](repeating: false, count: count)
        var overlapOffsets = [Int?](repeating: nil, count: count)
        var unshared = 0

        for (index, node) in graph.nodes.enumerated() {
            let bytes = node.outputShape.elementCount * elementBytes
            if case .input = node.op {
                externalOf[index] = graph.inputs.firstIndex(of: index) ?? 0
                continue
            }
            let source = node.inputs.first
            let reusable =
                source != nil
                && Self.canReuse(source!, for: index, graph: graph, bufferOf: bufferOf, values: { buffers[$0].values }, lastUse: lastUse)
            let overlap = reusable ? offsets[index] : nil
            switch storage[index] {
            case .alias where source != nil:
                bufferOf[index] = bufferOf[source!]
                externalOf[index] = externalOf[source!]
                if let buffer = bufferOf[index] { buffers[buffer].values.append(index) }
            case .inPlace where reusable:
                let buffer = bufferOf[source!]!
                bufferOf[index] = buffer
                buffers[buffer].values.append(index)
                inPlace[index] = true
                unshared += planner.align(bytes)
            case .overlapping where overlap != nil:
                // A buffer of its own, linked to the input's: every other buffer linked with
                // that one holds a tensor dead before this step (each died where the next began).
                bufferOf[index] = buffers.count
                buffers.append(
                    Buffer(
                        bytes: bytes, first: index, values: [index], isScratch: false, linkedTo: bufferOf[source!]!,
                        linkOffset: overlap!))
                overlapOffsets[index] = overlap
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
            var request = MemoryPlanner.Request(bytes: buffer.bytes, first: buffer.first, last: max(last, buffer.first))
            request.linkedTo = buffer.linkedTo
            request.linkOffset = buffer.linkOffset
            return request
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
        self.overlapOffsets = overlapOffsets
        arenaBytes = plan.peakBytes
        unsharedBytes = unshared
        bufferCount = requests.count
    }

    /// True when node `index` may overwrite the buffer holding its first input `source` (in
    /// place, or overlapping it): the
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
