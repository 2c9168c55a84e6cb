/// The C for one node of an int8 graph: the counterpart of `LayerKernel` for int8 tensors.
///
/// `Int8KernelSelector` picks one per node; `Int8CodeGenerator` packs the arrays it asks for,
/// plans the arena (one byte per element) and pastes in what `emit` returns.
protocol Int8LayerKernel {
    var storage: OutputStorage { get }
    /// Bytes of arena scratch the call needs (tap offsets, float buffers of a float layer).
    var scratchBytes: Int { get }
    /// Kernel headers the call needs.
    var headers: [String] { get }
    /// The constant arrays, in declaration order.
    func arrays() throws -> [CIntegerArray]
    /// The weights and their cost, for weighted layers.
    var footprint: LayerFootprint? { get }
    func emit(_ site: Int8CallSite) throws -> LayerCode
}

extension Int8LayerKernel {
    var scratchBytes: Int { 0 }
    var footprint: LayerFootprint? { nil }
    func arrays() throws -> [CIntegerArray] { [] }
}

/// Where one node's int8 call reads and writes, as C expressions.
struct Int8CallSite {
    let node: Node
    let paramsSymbol: String
    /// `const int8_t *` per input.
    let inputs: [String]
    /// `int8_t *` output.
    let output: String
    /// Arena byte offset of the scratch buffer, and the arena's symbol.
    let scratchOffset: Int?
    let arena: String
    /// Symbols of the constant arrays, by key.
    let arrays: [String: String]
    /// Symbols of float weight arrays (layers kept in float), by key.
    let floatWeights: [String: String]
    let claim: (String) -> String

    func array(_ key: String) -> String { arrays[key] ?? "NULL" }

    /// Scratch as `int32_t *`, `offset` bytes in.
    func scratchInt32(_ offset: Int = 0) -> String { "\(arena).i32 + \(((scratchOffset ?? 0) + offset) / 4)" }
    /// Scratch as `float *`, `offset` bytes in.
    func scratchFloat(_ offset: Int = 0) -> String { "\(arena).f32 + \(((scratchOffset ?? 0) + offset) / 4)" }
}
