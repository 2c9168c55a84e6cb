/// The C kernel chosen for one node, with everything the generator needs to call it.
///
/// `KernelSelector` picks one per node; the float path has one kernel per op family, and the
/// int8 and sparse paths add kernels for the same ops (a `Dense` may become `tp_dense_f32`,
/// `tp_dense_s8` or `tp_dense_csr_s8`) without the generator or the planner changing: they only
/// see storage, scratch, weights and the emitted call.
protocol LayerKernel {
    /// How the output uses memory.
    var storage: OutputStorage { get }
    /// Bytes of scratch memory the kernel needs while it runs.
    var scratchBytes: Int { get }
    /// The kernel headers (in `include/topiary/`) the call needs; their own includes follow.
    var headers: [String] { get }
    /// True when the call can fail on the input data and its statements assign `status`.
    var canFail: Bool { get }
    /// The weight tensors in the layout the kernel reads them, in declaration order. The
    /// generator packs each (`WeightPacker`) and hands the symbols back to `emit`.
    func weights() throws -> [WeightRequest]
    /// The C for this node, given where its inputs, output, scratch and weights are.
    func emit(_ site: CallSite) throws -> LayerCode
}

extension LayerKernel {
    var scratchBytes: Int { 0 }
    var canFail: Bool { false }
    func weights() throws -> [WeightRequest] { [] }
}

/// Where one node's call reads and writes, as C expressions, and the names it may declare.
struct CallSite {
    /// The node being emitted.
    let node: Node
    /// Identifier for the node's parameter struct (already unique).
    let paramsSymbol: String
    /// One `const float *` expression per node input, in order.
    let inputs: [String]
    /// The `float *` expression of the output.
    let output: String
    /// The `float *` expression of the scratch buffer, when the kernel asked for one.
    let scratch: String?
    /// Weight symbols by `WeightRequest.key`.
    let weights: [String: String]
    /// Claims a further unique identifier (e.g. a local array) for this node.
    let claim: (String) -> String

    /// The symbol of weight `key`, or `NULL` when the kernel has none (an optional bias).
    func weight(_ key: String) -> String {
        weights[key] ?? "NULL"
    }
}

/// The C one node contributes.
struct LayerCode {
    /// File-scope declarations: the parameter struct and any small tables.
    var declarations: [String] = []
    /// Statements inside the inference function, without indentation.
    var statements: [String] = []
}

/// A weight tensor a kernel reads, before packing.
struct WeightRequest: Equatable {
    /// Short name used in the symbol and to find it again (`kernel`, `bias`, `scale`…).
    var key: String
    /// What the tensor is, for the comment over the array (e.g. `depthwise kernel`).
    var meaning: String
    var shape: [Int]
    var values: [Float]
}
