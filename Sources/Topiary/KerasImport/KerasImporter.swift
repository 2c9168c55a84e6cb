import HDF5

/// Reads a saved Keras model into a `Graph`: the architecture from the model configuration,
/// the weights from HDF5, every shape checked against the configuration.
///
/// Accepts full-model `.h5` files from Keras 3 and Keras 2 (tf.keras), Keras 3 `.keras`
/// archives, and weights-only files (`save_weights`) together with `model.to_json()`.
public struct KerasImporter: Sendable {
    /// Accept weights holding NaN or infinity instead of refusing the model.
    public var allowNonfinite: Bool
    /// How much the import may read and allocate.
    public var limits: ReadLimits

    public init(allowNonfinite: Bool = false, limits: ReadLimits = ReadLimits()) {
        self.allowNonfinite = allowNonfinite
        self.limits = limits
    }

    /// Imports the model at `modelPath`; `configPath` names the architecture JSON for a
    /// weights-only file (and overrides the architecture stored in a full model).
    public func importGraph(modelPath: String, configPath: String? = nil) throws -> Graph {
        do {
            let container = try ModelContainer.open(modelPath: modelPath, configPath: configPath, limits: limits)
            return try build(container, modelPath: modelPath)
        } catch let error as HDF5Error {
            throw ImportError.hdf5(error)
        }
    }

    private func build(_ container: ModelContainer, modelPath: String) throws -> Graph {
        let origin = container.configOrigin
        let json: JSONValue
        let topology: ModelTopology
        do {
            json = try JSONValue.parse(container.configText)
            topology = try ModelTopology(config: json)
        } catch let error as JSONParseError {
            throw ImportError.malformedConfig(file: origin, reason: error.message)
        }
        let keras2 = Self.isKeras2(version: container.kerasVersion ?? json["keras_version"]?.string, config: container.configText)
        let translator = LayerTranslator(keras2: keras2)

        // First every layer's options, so that one report lists every layer that cannot be converted.
        var recipes: [String: LayerRecipe] = [:]
        var unsupported: [UnsupportedLayer] = []
        var readTensors: [String: Int] = [:]
        for reference in topology.calls.flatMap(\.inputs) + topology.outputs {
            readTensors[reference.layer] = max(readTensors[reference.layer] ?? 0, reference.tensor + 1)
        }
        for layer in topology.layers where layer.className != "InputLayer" {
            do {
                let recipe = try translator.recipe(for: layer)
                recipes[layer.name] = recipe
                if let read = readTensors[layer.name], read > recipe.outputCount {
                    unsupported.append(
                        UnsupportedLayer(
                            name: layer.name, kerasClass: layer.className, reason: "layers with several outputs are not supported"))
                }
            } catch let error as UnsupportedOption {
                unsupported.append(UnsupportedLayer(name: layer.name, kerasClass: layer.className, reason: error.reason))
            } catch let error as LayerConfig.OptionError {
                throw ImportError.invalidLayer(file: origin, layer: layer.name, kerasClass: layer.className, reason: error.reason)
            }
        }
        if !unsupported.isEmpty {
            throw ImportError.unsupportedLayers(file: origin, layers: unsupported)
        }

        var nodes: [Node] = []
        var nodeIndex: [TensorReference: Int] = [:]
        var firstCallWeights: [String: [[WeightRole: Tensor]]] = [:]
        var weightBytes = 0

        for call in topology.calls {
            let layer = topology.layers[call.layer]
            func invalid(_ reason: String) -> ImportError {
                .invalidLayer(file: origin, layer: layer.name, kerasClass: layer.className, reason: reason)
            }
            func nodeName(_ suffix: String) -> String {
                call.call == 0 ? layer.name + suffix : "\(layer.name)\(suffix)#\(call.call + 1)"
            }

            if layer.className == "InputLayer" {
                guard let declared = topology.inputShapes[layer.name] ?? nil else {
                    throw invalid("declares no input shape")
                }
                let shape = try declared.map { dim -> Int in
                    guard let dim, dim > 0 else {
                        throw invalid(
                            "input shape \(declared.map { $0.map(String.init) ?? "None" }) has an unspecified dimension; rebuild the model with a fixed input shape (e.g. Input(shape=(8, 8, 1)))"
                        )
                    }
                    return dim
                }
                if let reason = oversize(shape) { throw invalid(reason) }
                nodeIndex[TensorReference(layer: layer.name, call: call.call, tensor: 0)] = nodes.count
                nodes.append(
                    Node(name: nodeName(""), layerName: layer.name, kerasClass: layer.className, op: .input, inputs: [], outputShape: shape)
                )
                continue
            }

            let inputs = try call.inputs.map { input -> Int in
                guard let index = nodeIndex[input] else { throw invalid("reads '\(input.layer)' which the model does not define") }
                return index
            }
            guard !inputs.isEmpty else { throw invalid("is never connected to an input") }
            let inputShapes = inputs.map { nodes[$0].outputShape }
            let expansion: LayerExpansion
            do {
                expansion = try recipes[layer.name]!.expand(inputShapes)
            } catch let error as ShapeError {
                throw invalid(error.message)
            } catch let error as LayerConfig.OptionError {
                throw invalid(error.reason)
            }

            var partWeights: [[WeightRole: Tensor]]
            var partCounts: [Int]
            if let shared = firstCallWeights[layer.name] {
                partWeights = shared
                partCounts = Array(repeating: 0, count: shared.count)
            } else {
                let stored = try container.weights.weights(for: layer) ?? []
                partWeights = []
                partCounts = []
                var offset = 0
                for (index, part) in expansion.parts.enumerated() {
                    // One part takes every stored weight; several split them in Keras's order.
                    let end = index == expansion.parts.count - 1 ? stored.count : min(stored.count, offset + part.weights.count)
                    var (weights, count) = try load(
                        part.weights, from: Array(stored[offset..<end]), layer: layer, file: modelPath, budget: &weightBytes)
                    weights.merge(part.defaults) { stored, _ in stored }
                    partWeights.append(weights)
                    partCounts.append(count)
                    offset = end
                }
                firstCallWeights[layer.name] = partWeights
            }

            var planned: [Int] = []
            for plan in expansion.nodes {
                let planInputs = plan.inputs.map { source -> Int in
                    switch source {
                    case let .input(index): return inputs[index]
                    case let .node(index): return planned[index]
                    }
                }
                let outputShape: [Int]
                do {
                    outputShape = try plan.op.outputShape(for: planInputs.map { nodes[$0].outputShape })
                } catch let error as ShapeError {
                    throw invalid(error.message)
                }
                if let reason = oversize(outputShape) { throw invalid(reason) }
                var parameterCount = 0
                if let part = plan.part {
                    parameterCount = partCounts[part]
                    partCounts[part] = 0
                }
                planned.append(nodes.count)
                nodes.append(
                    Node(
                        name: nodeName(plan.nameSuffix), layerName: layer.name + plan.ownerSuffix,
                        kerasClass: plan.kerasClass ?? layer.className, op: plan.op, inputs: planInputs, outputShape: outputShape,
                        weights: plan.part.map { partWeights[$0] } ?? [:], parameterCount: parameterCount))
            }
            for (tensor, output) in expansion.outputs.enumerated() {
                nodeIndex[TensorReference(layer: layer.name, call: call.call, tensor: tensor)] = planned[output]
            }
        }

        func resolve(_ references: [TensorReference], _ what: String) throws -> [Int] {
            try references.map { reference in
                guard let index = nodeIndex[reference] else {
                    throw ImportError.malformedConfig(
                        file: origin, reason: "\(what) names '\(reference.layer)', which is not a layer of the model")
                }
                return index
            }
        }
        let producer = "keras " + (container.kerasVersion ?? (keras2 ? "2" : "3"))
        return Graph(
            name: topology.name, nodes: nodes, inputs: try resolve(topology.inputs, "input_layers"),
            outputs: try resolve(topology.outputs, "output_layers"), producer: producer)
    }

    /// Why a layer's output of `shape` is too large to hold, or nil when it fits: checked before
    /// any stage allocates the tensor (the reference, calibration, the memory planner).
    private func oversize(_ shape: [Int]) -> String? {
        let bytes = shape.checkedElementCount.flatMap { CheckedArithmetic.product($0, MemoryLayout<Float>.size) }
        if let bytes, bytes <= limits.tensorBytes { return nil }
        let size = bytes.map { "\(ReadLimits.describe($0)) of float32" } ?? "more values than a 64-bit count holds"
        return
            "its output \(shape) takes \(size), more than the \(ReadLimits.describe(limits.tensorBytes)) one tensor may take; no microcontroller holds it (raise the model size limit if this is intended)"
    }

    /// Matches the stored variables to the ones the layer needs, checks shapes and values, and
    /// reads them. Returns the weights and the count of every stored value (Keras counts them all).
    /// `budget` counts the bytes of weights read so far, against `limits.modelBytes`.
    private func load(
        _ expected: [ExpectedWeight], from stored: [StoredWeight], layer: LayerConfig, file: String,
        budget: inout Int
    ) throws -> ([WeightRole: Tensor], Int) {
        let needed = expected.filter { !$0.optional }
        let wanted = expected.map { "\($0.kerasName) \($0.shape)" }.joined(separator: ", ")
        if stored.isEmpty && !needed.isEmpty {
            throw ImportError.missingWeights(
                file: file, layer: layer.name, reason: "the file has no weights for this layer (it needs \(wanted))")
        }
        // Keras restores a layer's variables by position (`set_weights`), not by their names,
        // which differ between versions (Keras 3 calls the depthwise kernel just `kernel`).
        var pairs: [(ExpectedWeight, StoredWeight)] = []
        for (index, weight) in expected.enumerated() {
            if index < stored.count {
                pairs.append((weight, stored[index]))
            } else if !weight.optional {
                throw ImportError.missingWeights(
                    file: file, layer: layer.name,
                    reason:
                        "the file holds \(stored.count) weight\(stored.count == 1 ? "" : "s") but the layer needs \(needed.count) (\(wanted))"
                )
            }
        }
        if stored.count > pairs.count {
            let extra = stored.dropFirst(pairs.count).map(\.path)
            throw ImportError.missingWeights(
                file: file, layer: layer.name,
                reason:
                    "the file holds \(extra.count) weight\(extra.count == 1 ? "" : "s") this layer does not have (\(ShortList.join(extra, limit: 4))); the weights do not belong to this architecture"
            )
        }

        var result: [WeightRole: Tensor] = [:]
        var count = 0
        for (weight, storedWeight) in pairs {
            guard let dataset = storedWeight.dataset else {
                throw ImportError.missingWeights(
                    file: file, layer: layer.name,
                    reason: "weight '\(weight.kerasName)' is listed but its dataset \(storedWeight.path) is missing")
            }
            let shape = try dataset.shape()
            let fits =
                weight.countOnly
                ? shape.checkedElementCount != nil && shape.checkedElementCount == weight.shape.checkedElementCount : shape == weight.shape
            guard fits else {
                throw ImportError.weightShape(file: file, layer: layer.name, weight: weight.kerasName, expected: weight.shape, found: shape)
            }
            let elements = max(weight.shape.checkedElementCount ?? Int.max, 1)
            guard elements <= (limits.modelBytes - budget) / MemoryLayout<Float>.size else {
                throw ImportError.missingWeights(
                    file: file, layer: layer.name,
                    reason:
                        "weight '\(weight.kerasName)' \(weight.shape) would bring the weights read past the \(ReadLimits.describe(limits.modelBytes)) allowed; raise the model size limit if the model is really that large"
                )
            }
            budget += elements * MemoryLayout<Float>.size
            let values = try dataset.readFloats(limit: elements).values
            count += values.count
            guard let role = weight.role else { continue }
            let nonfinite = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
            if nonfinite > 0 && !allowNonfinite {
                throw ImportError.nonfiniteWeight(file: file, layer: layer.name, weight: weight.kerasName, count: nonfinite)
            }
            result[role] = Tensor(shape: weight.shape, values: values)
        }
        return (result, count)
    }

    /// Keras 2 and 3 differ in a few definitions (hard_sigmoid); the saved version decides,
    /// and without one the configuration's spelling does (Keras 3 writes `"module"` keys).
    static func isKeras2(version: String?, config: String) -> Bool {
        if let version, let major = version.split(separator: ".").first.flatMap({ Int($0) }) {
            return major < 3
        }
        return !config.contains("\"module\"") && !config.contains("\"batch_shape\"")
    }
}
