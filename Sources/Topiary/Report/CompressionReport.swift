import Foundation

/// The per-layer table `topiary convert` prints for a compressed model: each weighted layer's
/// storage format, sparsity, bytes (values, indices and per-channel metadata) and the
/// multiply-adds it does with nonzero weights, with totals beside the float32 dense model.
public struct CompressionReport: Equatable, Sendable {
    public var layers: [LayerFootprint]
    /// Bytes of the original model's parameters as float32.
    public var float32ModelBytes: Int
    /// Multiply-adds of the original model's weighted layers, dense.
    public var float32MACs: Int
    /// Every constant array of the generated C (tables and float layers included).
    public var constantBytes: Int?

    public init(layers: [LayerFootprint], original: Graph, constantBytes: Int? = nil) {
        self.layers = layers
        float32ModelBytes = original.parameterCount * 4
        float32MACs = Self.denseMACs(original)
        self.constantBytes = constantBytes
    }

    /// The footprint of each weighted layer of a float graph (pruned or not): stored dense as
    /// float32, as the float code generator stores it.
    public static func floatLayers(_ graph: Graph) -> [LayerFootprint] {
        var result: [LayerFootprint] = []
        for node in graph.nodes {
            // Every weight of a Dense or convolution is used once per output position.
            let positions = node.outputShape.dropLast().reduce(1, *)
            for role in KernelRows.roles(of: node.op) {
                guard let rows = KernelRows(node, role), let kernel = node.weights[role] else { continue }
                let nonzeros = kernel.values.filter { $0 != 0 }.count
                let bias = role == KernelRows.roles(of: node.op).last ? (node.weights[.bias]?.count ?? 0) : 0
                result.append(
                    LayerFootprint(
                        layer: KernelRows.roles(of: node.op).count > 1 ? "\(node.name) (\(role.rawValue))" : node.name,
                        format: .dense, channels: rows.channels, weights: kernel.count, nonzeros: nonzeros,
                        valueBytes: kernel.count * 4, indexBytes: 0, metadataBytes: bias * 4,
                        nonzeroMACs: nonzeros * positions, denseMACs: kernel.count * positions,
                        float32Bytes: (kernel.count + bias) * 4))
            }
        }
        return result
    }

    /// The footprint of each weighted layer of an int8-weights graph: int8 values, a float
    /// scale per output channel and the float bias as metadata.
    public static func int8WeightLayers(_ graph: Graph) -> [LayerFootprint] {
        var result: [LayerFootprint] = []
        for node in graph.nodes {
            guard let stored = node.quantization?.storedWeights, !stored.isEmpty else { continue }
            let positions = node.outputShape.dropLast().reduce(1, *)
            let roles = KernelRows.roles(of: node.op).filter { stored[$0] != nil }
            for role in roles {
                let weights = stored[role]!
                let nonzeros = weights.values.filter { $0 != 0 }.count
                let bias = role == roles.last ? (node.weights[.bias]?.count ?? 0) : 0
                result.append(
                    LayerFootprint(
                        layer: roles.count > 1 ? "\(node.name) (\(role.rawValue))" : node.name, format: .dense,
                        channels: weights.scales.count,
                        weights: weights.values.count, nonzeros: nonzeros, valueBytes: weights.values.count, indexBytes: 0,
                        metadataBytes: 4 * (weights.scales.count + bias), nonzeroMACs: nonzeros * positions,
                        denseMACs: weights.values.count * positions, float32Bytes: 4 * (weights.values.count + bias)))
            }
        }
        return result
    }

    static func denseMACs(_ graph: Graph) -> Int {
        floatLayers(graph).reduce(0) { $0 + $1.denseMACs }
    }

    public var totalBytes: Int { layers.reduce(0) { $0 + $1.totalBytes } }
    public var totalNonzeroMACs: Int { layers.reduce(0) { $0 + $1.nonzeroMACs } }
    /// Multiply-adds the kernels run: a dense kernel multiplies every weight, zero or not.
    public var multiplyAddsRun: Int { layers.reduce(0) { $0 + Self.multiplyAddsRun($1) } }
    /// Fraction of zero weights over every weighted layer.
    public var sparsity: Double {
        let weights = layers.reduce(0) { $0 + $1.weights }, nonzeros = layers.reduce(0) { $0 + $1.nonzeros }
        return weights == 0 ? 0 : 1 - Double(nonzeros) / Double(weights)
    }
    /// True when some pruned layer is stored in a sparse format, so its zeros cost neither
    /// bytes nor multiply-adds; false when every layer is stored dense (float32 pruning always is).
    public var storesSparse: Bool { layers.contains { $0.format != .dense } }

    /// What a layer's kernel computes: only the nonzero weights of a sparse format.
    static func multiplyAddsRun(_ layer: LayerFootprint) -> Int {
        layer.format == .dense ? layer.denseMACs / max(1, layer.channels) * (layer.storedChannels ?? layer.channels) : layer.nonzeroMACs
    }

    /// The format as the table shows it.
    static func formatName(_ layer: LayerFootprint) -> String {
        if layer.format == .dense && layer.valueBytes == layer.weights * 4 { return "dense f32" }
        guard let stored = layer.storedChannels else { return layer.format.description }
        return "\(layer.format), \(stored)/\(layer.channels) ch"
    }

    /// The table, then the totals and the ratios to the float32 dense model.
    public func table(title: String) -> String {
        var rows: [[String]] = [["Layer", "Format", "Sparsity", "Values", "Indices", "Metadata", "Bytes", "Nonzero MACs", "Float32 bytes"]]
        for layer in layers {
            rows.append([
                layer.layer, Self.formatName(layer),
                Self.percent(layer.sparsity), "\(layer.valueBytes)", "\(layer.indexBytes)", "\(layer.metadataBytes)",
                "\(layer.totalBytes)", "\(layer.nonzeroMACs)", "\(layer.float32Bytes)",
            ])
        }
        let values = layers.reduce(0) { $0 + $1.valueBytes }, indices = layers.reduce(0) { $0 + $1.indexBytes }
        let metadata = layers.reduce(0) { $0 + $1.metadataBytes }
        rows.append([
            "Total", "", Self.percent(sparsity), "\(values)", "\(indices)",
            "\(metadata)", "\(totalBytes)", "\(totalNonzeroMACs)", "\(layers.reduce(0) { $0 + $1.float32Bytes })",
        ])
        var lines = [title] + TextTable(rows: rows, leftAligned: 2, lastRowIsTotal: true).lines()
        lines.append("float32 dense model: \(float32ModelBytes) bytes of parameters, \(float32MACs) multiply-adds")
        lines.append(
            "compressed weights + indices + metadata: \(totalBytes) bytes = \(Self.ratio(totalBytes, float32ModelBytes)) of float32; "
                + "multiply-adds run: \(multiplyAddsRun) = \(Self.ratio(multiplyAddsRun, float32MACs)) of dense")
        if !storesSparse, sparsity > 0 {
            // Channels no later layer read are gone from the graph, so their rows are saved even
            // though the rest stays dense.
            let saved = multiplyAddsRun < float32MACs ? "only the channels no later layer read" : "no flash and no time"
            lines.append(
                "the pruned weights are stored dense and the kernels multiply every one, zeros included: pruning saves "
                    + "\(saved) here (only int8 models store weights sparse, where a sparse format is smaller)")
        }
        if let constantBytes {
            lines.append("all constant data of the generated C (tables, float layers included): \(constantBytes) bytes")
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func ratio(_ a: Int, _ b: Int) -> String {
        guard b > 0 else { return "n/a" }
        let value = Double(a) / Double(b)
        return String(format: "%.3f (1/%.1f)", value, value > 0 ? 1 / value : 0)
    }
}
