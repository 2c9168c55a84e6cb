import HDF5

/// One weight variable as stored in the file, read only when asked for.
struct StoredWeight {
    /// The variable's short Keras name (`kernel`, `moving_mean`; `:0` dropped), or its index
    /// (`0`, `1`…) in files that store variables by position.
    var name: String
    /// Full path of the dataset, for messages.
    var path: String
    var dataset: Dataset?
}

/// Finds each layer's stored weights in one of Keras's HDF5 layouts.
protocol WeightSource {
    /// The layer's weights in Keras's order, or nil when the file has no entry for the layer.
    func weights(for layer: LayerConfig) throws -> [StoredWeight]?
}

/// The layout of `model.save("m.h5")` (Keras 2 and 3) and of Keras 2 `save_weights("w.h5")`: a
/// group with a `layer_names` attribute holding one group per layer, whose `weight_names`
/// attribute lists the datasets in order (`fc1/kernel:0`, `mlp/fc1/kernel`…).
struct LayerNamesWeightSource: WeightSource {
    let group: Group

    init(group: Group) {
        self.group = group
    }

    func weights(for layer: LayerConfig) throws -> [StoredWeight]? {
        let topName = layer.enclosing.first?.name ?? layer.name
        guard try group.kind(of: topName) == .group else { return nil }
        let layerGroup = try group.group(topName)
        var names = layerGroup.hasAttribute("weight_names") ? try layerGroup.chunkedStringsAttribute("weight_names") : []
        if !layer.enclosing.isEmpty {
            // A nested model's group lists the variables of all its layers, each named after the
            // layer that made it (`conv1/kernel:0`, `mobilenet/conv1/kernel`): this layer's are
            // those whose path holds its own name, in the order listed.
            names = names.filter { name in
                // Keras 3 prefixes the models' names (`mobilenet/conv1/kernel`); Keras 2 does not.
                var parts = name.split(separator: "/").dropLast()
                for model in layer.enclosing where parts.first == Substring(model.name) { parts = parts.dropFirst() }
                return parts.first == Substring(layer.ownName)
            }
            if names.isEmpty { return nil }
        }
        return try names.enumerated().map { index, name in
            let path = layerGroup.path + "/" + name
            // No Keras layer has more than a handful of variables: past that, names are only
            // counted by the error that follows, not looked up one by one in the file.
            let dataset = try index < Self.lookedUpNames && layerGroup.kind(of: name) == .dataset ? try layerGroup.dataset(name) : nil
            return StoredWeight(name: Self.shortName(name), path: path, dataset: dataset)
        }
    }

    /// How many of a layer's weight names are looked up in the file.
    private static let lookedUpNames = 64

    /// `sequential/fc1/kernel` and `fc1/kernel:0` both name the variable `kernel`.
    static func shortName(_ name: String) -> String {
        var last = name.split(separator: "/").last.map(String.init) ?? name
        if let colon = last.lastIndex(of: ":") { last = String(last[..<colon]) }
        return last
    }
}

/// The layout of Keras 3 `save_weights("m.weights.h5")` and of `model.weights.h5` inside a
/// `.keras` archive: `/layers/<name>/vars/0, 1, …`, where `<name>` is the layer's class in
/// snake case made unique in the order of the model's layers (`dense`, `dense_1`…), and a
/// layer's sub-layers (an RNN's `cell`) keep their variables in their own groups.
struct VariablesWeightSource: WeightSource {
    let layersGroup: Group

    init(root: Group) throws {
        layersGroup = try root.group("layers")
    }

    func weights(for layer: LayerConfig) throws -> [StoredWeight]? {
        // A nested model keeps its layers' groups under its own: `layers/<model>/layers/<layer>`.
        var group = layersGroup
        for model in layer.enclosing {
            guard try group.kind(of: model.storedName) == .group else { return nil }
            let modelGroup = try group.group(model.storedName)
            guard try modelGroup.kind(of: "layers") == .group else { return nil }
            group = try modelGroup.group("layers")
        }
        guard try group.kind(of: layer.storedName) == .group else { return nil }
        var visited = Set<UInt64>()
        return try variables(in: try group.group(layer.storedName), depth: 0, visited: &visited)
    }

    /// Keras nests a layer's sub-layers a few levels at most (an RNN's cell, a wrapper's layer).
    private static let deepestNesting = 16

    /// The group's own `vars/N` in index order, then each sub-layer's, depth first. Each group
    /// is visited once, whatever links lead to it: a hard link back to a parent would otherwise
    /// make the walk endless.
    private func variables(in group: Group, depth: Int, visited: inout Set<UInt64>) throws -> [StoredWeight] {
        guard depth <= Self.deepestNesting else {
            throw HDF5Error(
                .corrupt, file: group.filePath, object: group.path,
                message: "nests groups more than \(Self.deepestNesting) deep; Keras never writes such a layout")
        }
        guard visited.insert(try group.objectAddress()).inserted else { return [] }
        var result: [StoredWeight] = []
        if try group.kind(of: "vars") == .group {
            let vars = try group.group("vars")
            let indices = try vars.childNames().compactMap(Int.init).sorted()
            for index in indices {
                result.append(StoredWeight(name: String(index), path: vars.path + "/\(index)", dataset: try vars.dataset(String(index))))
            }
        }
        // HDF5 lists groups by name, but a Bidirectional's forward layer comes first in Keras's
        // order, before `backward_layer`.
        let children = try group.childNames().filter { $0 != "vars" }
        for child in children.filter({ $0 == "forward_layer" }) + children.filter({ $0 != "forward_layer" }) {
            if try group.kind(of: child) == .group {
                result += try variables(in: try group.group(child), depth: depth + 1, visited: &visited)
            }
        }
        return result
    }

    /// Keras's `to_snake_case`: `Conv2D` → `conv2d`, `BatchNormalization` → `batch_normalization`,
    /// `ReLU` → `re_lu`.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        // (.)([A-Z][a-z]+) → \1_\2
        var first: [Character] = []
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase, index + 1 < characters.count, characters[index + 1].isLowercase {
                first.append("_")
            }
            first.append(character)
        }
        // ([a-z])([A-Z]) → \1_\2
        var second: [Character] = []
        for (index, character) in first.enumerated() {
            if index > 0, character.isUppercase, first[index - 1].isLowercase {
                second.append("_")
            }
            second.append(character)
        }
        return String(second).lowercased()
    }
}
