/// Turns the float weight tensors kernels ask for into `static const float` arrays: a step of
/// its own, so that how a weight is spelled never touches the kernels' emitters or the memory
/// planner. (Int8 weights are packed per layer by `RowPacker`, in the format the layer's
/// emitter chose.)
///
/// The weights of a shared layer, applied more than once, are packed once and reused.
struct WeightPacker {
    private var packed: [String: [(shape: [Int], values: [Float], symbol: String)]] = [:]
    /// Every array packed so far, in the order it was packed.
    private(set) var arrays: [PackedWeight] = []

    /// The symbol of the array holding `request` for `node`, packing it on first use.
    mutating func pack(_ request: WeightRequest, for node: Node, symbols: inout CSymbolTable) throws -> String {
        let sharedKey = node.layerName + "\u{0}" + request.key
        if let existing = packed[sharedKey]?.first(where: {
            $0.shape == request.shape && $0.values.elementsEqual(request.values, by: Self.sameBits)
        }) {
            return existing.symbol
        }
        var elements: [String] = []
        elements.reserveCapacity(request.values.count)
        for (index, value) in request.values.enumerated() {
            do {
                elements.append(try CFloatLiteral.literal(value))
            } catch {
                throw CodeGenError.nonFiniteWeight(layer: node.name, weight: request.key, index: index)
            }
        }
        let symbol = symbols.claim(node.name, request.key)
        let zeros = request.values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        arrays.append(
            PackedWeight(
                symbol: symbol, layer: node.name, meaning: request.meaning, shape: request.shape,
                format: .denseFloat32, elements: elements,
                sparsity: request.values.isEmpty ? 0 : Double(zeros) / Double(request.values.count)))
        packed[sharedKey, default: []].append((request.shape, request.values, symbol))
        return symbol
    }

    /// Total flash bytes of the packed arrays.
    var totalBytes: Int { arrays.reduce(0) { $0 + $1.bytes } }

    private static func sameBits(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern }
}
