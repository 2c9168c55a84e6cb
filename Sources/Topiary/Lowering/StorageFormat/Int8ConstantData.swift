/// The constant data (flash) of an int8 graph's C, counted without writing it: each weighted
/// layer's packed rows and channel metadata, the integer recurrent layers' weights and
/// metadata, the activation and softmax tables, the gather tables of the ops that move data,
/// and the float weights of the layers kept in float.
///
/// The budget search weighs candidates by these bytes; the code generator declares exactly
/// these arrays (a test holds the two to the same count on every sample model).
struct Int8ConstantData {
    /// Every layer with int8 weights, in graph order.
    let layers: [LayerFootprint]
    /// All constant bytes.
    let bytes: Int

    init(graph: Graph, choice: FormatChoice, goal: OptimizationGoal) throws {
        var layers: [LayerFootprint] = []
        var bytes = 0
        // The float weights of a layer applied more than once are stored once.
        var floatLayersCounted: Set<String> = []
        for node in graph.nodes {
            guard let quantization = node.quantization else {
                throw InferenceError(.invalidGraph, layer: node.name, "has no int8 quantization")
            }
            let inputShape = node.inputs.first.map { graph.nodes[$0].outputShape } ?? []
            switch quantization.arithmetic {
            case let .weighted(layer):
                let storage = try WeightedLayerStorage(node: node, inputShape: inputShape, layer: layer, choice: choice, goal: goal)
                let footprint = storage.footprint(layer: node.name)
                layers.append(footprint)
                bytes += footprint.totalBytes
            case let .recurrent(layer):
                let footprint = layer.footprint(node: node, timesteps: inputShape.first ?? 0)
                layers.append(footprint)
                bytes += footprint.totalBytes
            case let .lookup(table):
                bytes += table.count
            case let .softmax(table):
                bytes += 2 * table.storedExponentials.count
            case .passThrough:
                if node.op.onlyMovesValues {
                    bytes += 4 * (try GatherTable(node: node, inputShape: inputShape)).sources.count
                }
            case .float:
                if floatLayersCounted.insert(node.layerName).inserted {
                    bytes += 4 * (try Self.floatValues(node, inputShape: inputShape))
                }
            case .input, .rescale, .sum, .product:
                break
            }
        }
        self.layers = layers
        self.bytes = bytes
    }

    /// The float values a layer kept in float stores: its weights as imported, except the
    /// per-channel affine ops, which store one scale and one shift per channel of their axis.
    static func floatValues(_ node: Node, inputShape: [Int]) throws -> Int {
        switch node.op {
        case let .batchNorm(bn):
            return 2 * (try AxisLayout(node: node, shape: inputShape, axis: bn.axis)).length
        case let .normalization(n):
            return 2 * (try AxisLayout(node: node, shape: inputShape, axis: n.axis)).length
        case .rescaling:
            return 2 * (inputShape.last ?? 1)
        default:
            return node.weights.values.reduce(0) { $0 + $1.count }
        }
    }
}
