/// A reference to one output of one call of a layer: Keras's `[layer, node_index, tensor_index]`.
struct TensorReference: Hashable {
    var layer: String
    var call: Int
    var tensor: Int
}

/// One application of a layer to its inputs. A layer used twice (shared weights) has two calls.
struct LayerCall {
    var layer: Int
    var call: Int
    var inputs: [TensorReference]
}

/// The layers of a Keras model and how they are wired, from the model configuration JSON of
/// a Sequential or Functional model (Keras 2 and Keras 3 spellings).
struct ModelTopology {
    var name: String
    var layers: [LayerConfig]
    /// Calls in an order where every call's inputs come before it.
    var calls: [LayerCall]
    var inputs: [TensorReference]
    var outputs: [TensorReference]
    /// Input shapes (batch axis removed) for each InputLayer by name.
    var inputShapes: [String: [Int?]]

    init(config root: JSONValue) throws {
        try self.init(config: root, depth: 0)
    }

    /// `depth` counts the models this one is nested in.
    private init(config root: JSONValue, depth: Int) throws {
        guard let className = root["class_name"]?.string else {
            throw JSONParseError(message: "the top level has no class_name")
        }
        guard let config = root["config"] else {
            throw JSONParseError(message: "the top level has no config")
        }
        switch className {
        case "Sequential":
            try self.init(sequential: config)
        case "Functional", "Model":
            try self.init(functional: config)
        default:
            throw JSONParseError(
                message:
                    "the model class '\(className)' is not Sequential or Functional; subclassed models cannot be converted, rebuild the model with the Functional API"
            )
        }
        Self.assignStoredNames(&layers)
        try inlineNestedModels(depth: depth)
        try Self.checkReferences(calls, layers: layers)
        calls = try Self.topologicalOrder(calls, layers: layers)
    }

    private init(sequential config: JSONValue) throws {
        // Keras 2.0–2.2 wrote the layer list itself as the config.
        let layerList = config["layers"]?.array ?? config.array
        guard let entries = layerList else { throw JSONParseError(message: "the Sequential config has no layers list") }
        var layers = try entries.enumerated().map { try LayerConfig(entry: $1, index: $0) }
        name = config["name"]?.string ?? "sequential"
        inputShapes = [:]

        if let first = layers.first, first.className == "InputLayer" {
            inputShapes[first.name] = try Self.batchShape(of: first)
        } else {
            // No InputLayer: the shape sits on the first layer or in the model's build config.
            var shape = try layers.first.flatMap { try Self.batchShape(of: $0) }
            if shape == nil, let built = config["build_input_shape"]?.array {
                shape = try Self.dimensions(built.dropFirst(), of: "the model", "build_input_shape")
            }
            guard let shape else {
                throw JSONParseError(
                    message: "the Sequential model has no input shape; save a model that was built (call it once or give it an Input)")
            }
            var input = try LayerConfig(
                entry: .object(["class_name": .string("InputLayer"), "config": .object(["name": .string("input")])]), index: 0)
            input.name = Self.unusedName("input", among: layers.map(\.name))
            layers.insert(input, at: 0)
            inputShapes[input.name] = shape
        }
        self.layers = layers
        calls = []
        for index in layers.indices {
            let inputs = index == 0 ? [] : [TensorReference(layer: layers[index - 1].name, call: 0, tensor: 0)]
            calls.append(LayerCall(layer: index, call: 0, inputs: inputs))
        }
        try Self.checkReferences(calls, layers: layers)
        inputs = [TensorReference(layer: layers[0].name, call: 0, tensor: 0)]
        outputs = [TensorReference(layer: layers[layers.count - 1].name, call: 0, tensor: 0)]
    }

    private init(functional config: JSONValue) throws {
        guard let entries = config["layers"]?.array else { throw JSONParseError(message: "the Functional config has no layers list") }
        layers = try entries.enumerated().map { try LayerConfig(entry: $1, index: $0) }
        name = config["name"]?.string ?? "model"
        inputShapes = [:]
        for layer in layers where layer.className == "InputLayer" {
            inputShapes[layer.name] = try Self.batchShape(of: layer)
        }
        inputs = try Self.references(config["input_layers"], what: "input_layers")
        outputs = try Self.references(config["output_layers"], what: "output_layers")

        var unordered: [LayerCall] = []
        for (index, layer) in layers.enumerated() {
            if layer.className == "InputLayer" {
                unordered.append(LayerCall(layer: index, call: 0, inputs: []))
                continue
            }
            let nodes = layer.entry["inbound_nodes"]?.array ?? []
            for (call, node) in nodes.enumerated() {
                let references = try Self.inboundReferences(node, layer: layer.name)
                unordered.append(LayerCall(layer: index, call: call, inputs: references))
            }
        }
        Self.renumberKeras2NestedModelCalls(&unordered, outputs: &outputs, layers: layers)
        try Self.checkReferences(unordered, layers: layers)
        calls = unordered
    }

    /// Keras 2 counts a nested model's own construction as its call 0 and saves only the calls
    /// made in the outer model, so references to those count from 1. Seen when a reference
    /// names a call one past the last saved one; the references are then renumbered from 0.
    private static func renumberKeras2NestedModelCalls(
        _ calls: inout [LayerCall], outputs: inout [TensorReference], layers: [LayerConfig]
    ) {
        var callCounts: [String: Int] = [:]
        for call in calls { callCounts[layers[call.layer].name, default: 0] += 1 }
        let references = calls.flatMap(\.inputs) + outputs
        let shifted = Set(
            layers.filter { layer in
                guard modelClasses.contains(layer.className), layer.entry["inbound_nodes"]?.array?.first?.array != nil,
                    let count = callCounts[layer.name]
                else { return false }
                return references.contains { $0.layer == layer.name && $0.call == count }
                    && !references.contains { $0.layer == layer.name && $0.call == 0 }
            }.map(\.name))
        guard !shifted.isEmpty else { return }
        func renumber(_ reference: TensorReference) -> TensorReference {
            guard shifted.contains(reference.layer) else { return reference }
            return TensorReference(layer: reference.layer, call: reference.call - 1, tensor: reference.tensor)
        }
        for index in calls.indices { calls[index].inputs = calls[index].inputs.map(renumber) }
        outputs = outputs.map(renumber)
    }

    /// Gives each layer the name of its Keras 3 weights group: the class name in snake case,
    /// suffixed `_1`, `_2`… for later layers of the same class.
    static func assignStoredNames(_ layers: inout [LayerConfig]) {
        var used: [String: Int] = [:]
        for index in layers.indices {
            let base = VariablesWeightSource.snakeCase(layers[index].className)
            let earlier = used[base, default: 0]
            layers[index].storedName = earlier == 0 ? base : "\(base)_\(earlier)"
            used[base] = earlier + 1
        }
    }

    /// Model classes that can be used as a layer of another model.
    static let modelClasses: Set<String> = ["Sequential", "Functional", "Model"]
    /// Keras applications nest a few models deep at most; a deeper file is refused rather than
    /// followed.
    private static let deepestNesting = 16

    /// Replaces every model used as a layer by its own layers, named `<model>/<layer>`, and each
    /// call of it by calls of those layers: the graph holds no nested model. A model called
    /// several times (shared weights) has its layers called as many times.
    private mutating func inlineNestedModels(depth: Int) throws {
        let nested = layers.indices.filter { Self.modelClasses.contains(layers[$0].className) }
        guard !nested.isEmpty else { return }
        guard depth < Self.deepestNesting else {
            throw JSONParseError(message: "models are nested more than \(Self.deepestNesting) deep; flatten the model")
        }
        var inner: [String: ModelTopology] = [:]
        for index in nested {
            let layer = layers[index]
            do {
                inner[layer.name] = try ModelTopology(config: .object(layer.entry), depth: depth + 1)
            } catch let error as JSONParseError {
                throw JSONParseError(message: "nested model '\(layer.name)': \(error.message)")
            }
        }
        // How many times each layer of each nested model is called within that model.
        var innerCallCounts: [String: [String: Int]] = [:]
        for (name, model) in inner {
            var counts: [String: Int] = [:]
            for call in model.calls { counts[model.layers[call.layer].name, default: 0] += 1 }
            innerCallCounts[name] = counts
        }
        var callsOfLayer: [String: [LayerCall]] = [:]
        for call in calls { callsOfLayer[layers[call.layer].name, default: []].append(call) }
        let originalLayers = layers

        // A reference to a nested model's output becomes a reference to the inner layer that
        // produces it; an inner reference to the model's input, the tensor the call passed in.
        func resolve(_ reference: TensorReference, steps: Int = 0) throws -> TensorReference {
            guard let model = inner[reference.layer] else { return reference }
            guard steps <= originalLayers.count else {
                throw JSONParseError(message: "nested model '\(reference.layer)' reads its own output")
            }
            guard reference.tensor < model.outputs.count else {
                throw JSONParseError(
                    message:
                        "output \(reference.tensor + 1) of nested model '\(reference.layer)' is read, but the model has \(model.outputs.count)"
                )
            }
            guard let call = callsOfLayer[reference.layer]?.first(where: { $0.call == reference.call }) else {
                throw JSONParseError(message: "call \(reference.call + 1) of nested model '\(reference.layer)' is read but never made")
            }
            return try resolve(try mapInner(model.outputs[reference.tensor], of: reference.layer, in: call), steps: steps + 1)
        }
        func mapInner(_ reference: TensorReference, of modelName: String, in call: LayerCall) throws -> TensorReference {
            let model = inner[modelName]!
            if let position = model.inputs.firstIndex(where: { $0.layer == reference.layer }) {
                guard position < call.inputs.count else {
                    throw JSONParseError(
                        message:
                            "nested model '\(modelName)' takes \(model.inputs.count) input\(model.inputs.count == 1 ? "" : "s") but is called with \(call.inputs.count)"
                    )
                }
                return call.inputs[position]
            }
            let count = innerCallCounts[modelName]![reference.layer] ?? 1
            return TensorReference(
                layer: modelName + "/" + reference.layer, call: call.call * count + reference.call, tensor: reference.tensor)
        }

        var flatLayers: [LayerConfig] = []
        var flatIndex: [String: Int] = [:]
        for layer in originalLayers {
            guard let model = inner[layer.name] else {
                flatIndex[layer.name] = flatLayers.count
                flatLayers.append(layer)
                continue
            }
            for var innerLayer in model.layers where innerLayer.className != "InputLayer" {
                innerLayer.name = layer.name + "/" + innerLayer.name
                innerLayer.enclosing.insert(LayerConfig.EnclosingModel(name: layer.name, storedName: layer.storedName), at: 0)
                flatIndex[innerLayer.name] = flatLayers.count
                flatLayers.append(innerLayer)
            }
        }
        var flatCalls: [LayerCall] = []
        for call in calls {
            let name = originalLayers[call.layer].name
            guard let model = inner[name] else {
                flatCalls.append(LayerCall(layer: flatIndex[name]!, call: call.call, inputs: try call.inputs.map { try resolve($0) }))
                continue
            }
            guard call.inputs.count == model.inputs.count else {
                throw JSONParseError(
                    message:
                        "nested model '\(name)' takes \(model.inputs.count) input\(model.inputs.count == 1 ? "" : "s") but is called with \(call.inputs.count)"
                )
            }
            let outerInputs = try call.inputs.map { try resolve($0) }
            let resolvedCall = LayerCall(layer: call.layer, call: call.call, inputs: outerInputs)
            for innerCall in model.calls where model.layers[innerCall.layer].className != "InputLayer" {
                let innerName = model.layers[innerCall.layer].name
                let count = innerCallCounts[name]![innerName]!
                flatCalls.append(
                    LayerCall(
                        layer: flatIndex[name + "/" + innerName]!, call: call.call * count + innerCall.call,
                        inputs: try innerCall.inputs.map { try mapInner($0, of: name, in: resolvedCall) }))
            }
        }
        outputs = try outputs.map { try resolve($0) }
        layers = flatLayers
        calls = flatCalls
    }

    /// Names the first broken link itself, before ordering: a duplicate layer name, or a call
    /// that reads a layer (or a call of a layer) the model does not have. Otherwise ordering
    /// would only find that every layer downstream is stuck.
    private static func checkReferences(_ calls: [LayerCall], layers: [LayerConfig]) throws {
        var positions: [String: Int] = [:]
        for (index, layer) in layers.enumerated() {
            if let earlier = positions[layer.name] {
                throw JSONParseError(
                    message:
                        "two layers are named '\(layer.name)' (layers \(earlier + 1) and \(index + 1)); Keras requires unique layer names")
            }
            positions[layer.name] = index
        }
        var callCounts: [String: Int] = [:]
        for call in calls { callCounts[layers[call.layer].name, default: 0] += 1 }
        for call in calls {
            for input in call.inputs {
                guard let count = callCounts[input.layer] else {
                    throw JSONParseError(
                        message: "layer '\(layers[call.layer].name)' reads '\(input.layer)', which is not a layer of the model")
                }
                guard input.call < count else {
                    throw JSONParseError(
                        message:
                            "layer '\(layers[call.layer].name)' reads call \(input.call + 1) of '\(input.layer)', which is called \(count) time\(count == 1 ? "" : "s")"
                    )
                }
            }
        }
    }

    /// Orders calls so that inputs come first; Keras lists layers, not calls, so a shared
    /// layer's later call may depend on layers listed after it.
    private static func topologicalOrder(_ calls: [LayerCall], layers: [LayerConfig]) throws -> [LayerCall] {
        var produced = Set<TensorReference>()
        var pending = calls
        var ordered: [LayerCall] = []
        while !pending.isEmpty {
            let before = pending.count
            pending.removeAll { call in
                guard call.inputs.allSatisfy({ produced.contains(TensorReference(layer: $0.layer, call: $0.call, tensor: 0)) }) else {
                    return false
                }
                ordered.append(call)
                produced.insert(TensorReference(layer: layers[call.layer].name, call: call.call, tensor: 0))
                return true
            }
            if pending.count == before {
                let stuck = ShortList.join(pending.map { layers[$0.layer].name })
                throw JSONParseError(message: "layers \(stuck) form a cycle: each reads a tensor the others produce")
            }
        }
        return ordered
    }

    /// The tensors one inbound node reads: Keras 3 `{"args": [...], "kwargs": {...}}` holding
    /// `__keras_tensor__` entries, or Keras 2 `[["layer", node, tensor, {kwargs}], …]`.
    private static func inboundReferences(_ node: JSONValue, layer: String) throws -> [TensorReference] {
        if let object = node.object {
            var result: [TensorReference] = []
            func collect(_ value: JSONValue) throws {
                if let history = value["config"]?["keras_history"]?.array, value["class_name"]?.string == "__keras_tensor__" {
                    result.append(try reference(history, what: "inbound node of '\(layer)'"))
                } else if let array = value.array {
                    for item in array { try collect(item) }
                } else if !value.isNull, value.object != nil || value.array != nil {
                    throw JSONParseError(message: "layer '\(layer)' is called with an argument that is not a tensor")
                }
            }
            try collect(object["args"] ?? .array([]))
            for (key, value) in object["kwargs"]?.object ?? [:] where containsTensor(value) {
                if key == "mask" { continue }
                throw JSONParseError(
                    message: "layer '\(layer)' is called with tensor argument '\(key)'; only positional tensor inputs are supported")
            }
            return result
        }
        guard let items = node.array else { throw JSONParseError(message: "inbound node of '\(layer)' is not a list") }
        return try items.map { item in
            guard let parts = item.array else { throw JSONParseError(message: "inbound node of '\(layer)' is malformed") }
            if let kwargs = parts.dropFirst(3).first?.object, kwargs.values.contains(where: containsTensor) {
                throw JSONParseError(
                    message: "layer '\(layer)' is called with tensor keyword arguments; only positional tensor inputs are supported")
            }
            return try reference(Array(parts.prefix(3)), what: "inbound node of '\(layer)'")
        }
    }

    private static func containsTensor(_ value: JSONValue) -> Bool {
        if value["class_name"]?.string == "__keras_tensor__" { return true }
        if let array = value.array {
            // Keras 2 writes tensors in kwargs as [layer, node, tensor] triples.
            if array.count == 3, array[0].string != nil, array[1].number != nil, array[2].number != nil { return true }
            return array.contains(where: containsTensor)
        }
        return false
    }

    /// `input_layers`/`output_layers`: one `[name, node, tensor]` or a list of them.
    private static func references(_ value: JSONValue?, what: String) throws -> [TensorReference] {
        guard let array = value?.array, !array.isEmpty else { throw JSONParseError(message: "the Functional config has no \(what)") }
        if array.first?.string != nil { return [try reference(array, what: what)] }
        return try array.map { item in
            guard let triple = item.array else { throw JSONParseError(message: "\(what) is malformed") }
            return try reference(triple, what: what)
        }
    }

    private static func reference(_ triple: [JSONValue], what: String) throws -> TensorReference {
        guard triple.count >= 3, let layer = triple[0].string,
            let call = triple[1].number.flatMap({ Int(exactly: $0) }), call >= 0,
            let tensor = triple[2].number.flatMap({ Int(exactly: $0) }), tensor >= 0
        else {
            throw JSONParseError(message: "\(what) holds a malformed tensor reference")
        }
        return TensorReference(layer: layer, call: call, tensor: tensor)
    }

    /// The per-sample shape a layer declares (`batch_shape` in Keras 3, `batch_input_shape` in
    /// Keras 2), or nil when it declares none.
    static func batchShape(of layer: LayerConfig) throws -> [Int?]? {
        for key in ["batch_shape", "batch_input_shape"] {
            if let array = layer.config[key]?.array { return try dimensions(array.dropFirst(), of: "layer '\(layer.name)'", key) }
        }
        if let array = layer.config["shape"]?.array { return try dimensions(array[...], of: "layer '\(layer.name)'", "shape") }
        return nil
    }

    /// Each dimension a whole non-negative number, or nil (unknown) for `null`.
    private static func dimensions(_ array: ArraySlice<JSONValue>, of owner: String, _ key: String) throws -> [Int?] {
        try array.map { value in
            if value.isNull { return nil }
            guard let dimension = value.number.flatMap({ Int(exactly: $0) }), dimension >= 0 else {
                throw JSONParseError(message: "\(owner) declares a \(key) whose dimensions are not all whole non-negative numbers")
            }
            return dimension
        }
    }

    private static func unusedName(_ base: String, among names: [String]) -> String {
        var candidate = base
        var suffix = 1
        while names.contains(candidate) {
            candidate = "\(base)_\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
