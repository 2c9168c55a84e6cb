/// The C kernel chosen for one node, with everything the generator needs to call it.
///
/// `KernelSelector` picks one per node from the node's precision and storage format (a `Dense`
/// may become `tp_dense_f32`, `tp_dense_s8w_f32`, `tp_dense_s8` or `tp_dense_csr_s8`); the
/// generator and the planner only see storage, scratch, the constant data and the emitted call.
protocol LayerKernel {
    /// How the output uses memory.
    var storage: OutputStorage { get }
    /// Bytes of scratch memory the kernel needs while it runs.
    var scratchBytes: Int { get }
    /// The scratch sizes the kernel can run in, smallest first: one, `scratchBytes`, for most;
    /// several for a kernel that runs in less scratch at some cost in speed, which the planner
    /// gives the most that leaves the arena as small as the smallest would (`withScratch`).
    var scratchChoices: [Int] { get }
    /// The kernel running in `bytes` of scratch, one of `scratchChoices`.
    func withScratch(_ bytes: Int) -> any LayerKernel
    /// The kernel headers (in `include/topiary/`) the call needs; their own includes follow.
    var headers: [String] { get }
    /// Macros the model's C defines before its includes, each building an optional part of a
    /// kernel that this call uses (`TP_CONV_S8_ROWS` in `tp_conv_s8.h`).
    var definitions: [String] { get }
    /// True when the call can fail on the input data and its statements assign `status`.
    var canFail: Bool { get }
    /// The float weight tensors in the layout the kernel reads them, in declaration order. The
    /// generator packs each (`WeightPacker`) and hands the symbols back in `CallSite.weights`.
    func weights() throws -> [WeightRequest]
    /// The integer constant arrays (int8 weights, indices, multipliers, tables), in
    /// declaration order; their symbols come back in `CallSite.arrays`.
    func arrays() throws -> [CIntegerArray]
    /// The stored weights and their cost, for layers with int8 weights.
    var footprint: LayerFootprint? { get }
    /// The C for this node, given where its inputs, output, scratch and constants are.
    func emit(_ site: CallSite) throws -> LayerCode
}

extension LayerKernel {
    var scratchBytes: Int { 0 }
    var scratchChoices: [Int] { [scratchBytes] }
    func withScratch(_ bytes: Int) -> any LayerKernel { self }
    var definitions: [String] { [] }
    var canFail: Bool { false }
    func weights() throws -> [WeightRequest] { [] }
    func arrays() throws -> [CIntegerArray] { [] }
    var footprint: LayerFootprint? { nil }
}

/// Where one node's call reads and writes, as C expressions, and the names it may declare.
struct CallSite {
    /// The node being emitted.
    let node: Node
    /// Identifier for the node's parameter struct (already unique).
    let paramsSymbol: String
    /// One pointer expression per node input, in order, of the model's element type.
    let inputs: [String]
    /// The pointer expression of the output.
    let output: String
    /// Arena byte offset of the scratch buffer, when the kernel asked for one.
    let scratchOffset: Int?
    /// The pointer to the arena, whose union has an `f32` view (and `s8` and `i32` in int8 models).
    let arena: String
    /// Float weight symbols by `WeightRequest.key`.
    let weights: [String: String]
    /// Integer array symbols by `CIntegerArray.key`.
    let arrays: [String: String]
    /// Claims a further unique identifier (e.g. a local array) for this node.
    let claim: (String) -> String

    /// The symbol of weight `key`, or `NULL` when the kernel has none (an optional bias).
    func weight(_ key: String) -> String {
        weights[key] ?? "NULL"
    }

    /// The symbol of integer array `key`, or `NULL`.
    func array(_ key: String) -> String {
        arrays[key] ?? "NULL"
    }

    /// The scratch buffer as `float *`, or nil when the kernel asked for none.
    var scratch: String? { scratchOffset.map { "\(arena)->f32 + \($0 / 4)" } }
    /// Scratch as `int32_t *`, `offset` bytes in.
    func scratchInt32(_ offset: Int = 0) -> String { "\(arena)->i32 + \(((scratchOffset ?? 0) + offset) / 4)" }
    /// Scratch as `float *`, `offset` bytes in.
    func scratchFloat(_ offset: Int = 0) -> String { "\(arena)->f32 + \(((scratchOffset ?? 0) + offset) / 4)" }
}

/// The C one node contributes.
struct LayerCode {
    /// File-scope declarations: the parameter struct and any small tables.
    var declarations: [String] = []
    /// Statements inside the inference function, without indentation.
    var statements: [String] = []

    /// The C of most layers: their parameters in a `KERNEL_params` struct under the site's
    /// params symbol, then one call `KERNEL(&params, arguments…)`.
    static func kernelCall(_ kernel: String, site: CallSite, fields: [(String, String)], arguments: [String]) -> LayerCode {
        let params = site.paramsSymbol
        return LayerCode(
            declarations: [CInitializer.declaration(type: kernel + "_params", symbol: params, fields: fields)],
            statements: ["\(kernel)(\((["&" + params] + arguments).joined(separator: ", ")));"])
    }
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
