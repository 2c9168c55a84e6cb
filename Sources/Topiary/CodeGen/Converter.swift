/// The library's one way from an imported graph to C: compresses the graph as the compression
/// options ask, generates the C of the result in its precision, and accounts for what
/// compression did, so a caller (the `topiary` command, a test, a benchmark) only supplies
/// options and data and reads the outcome.
public struct Converter: Sendable {
    public var compression: CompressionOptions
    public var conversion: ConversionOptions
    /// The model's files, for the header comment; `nil` for a graph built in memory.
    public var source: SourceDescription?

    public init(compression: CompressionOptions = CompressionOptions(), conversion: ConversionOptions = ConversionOptions(),
                source: SourceDescription? = nil) {
        self.compression = compression
        self.conversion = conversion
        self.source = source
    }

    /// What a conversion produced.
    public struct Conversion: Sendable {
        /// The graph the C computes: the imported one, compressed.
        public var graph: Graph
        public var model: GeneratedModel
        /// Per-layer storage and cost against the float original; `nil` when nothing was compressed.
        public var report: CompressionReport?
        /// Structured pruning's account, when it ran.
        public var channelPruning: ChannelPruningResult?
    }

    /// Converts `graph`. `calibration` (one array of input tensors per sample) is needed for
    /// int8 quantization, reconstruction and OBS pruning; `progress` hears the long passes.
    public func convert(_ graph: Graph, calibration: [[Tensor]]? = nil, progress: ((String) -> Void)? = nil) throws -> Conversion {
        let compressed = try CompressionPipeline.run(graph, options: compression, calibration: calibration, progress: progress)
        let model = try CodeGenerator(options: conversion, source: source).generate(compressed.graph)
        return Conversion(graph: compressed.graph, model: model, report: report(graph, compressed.graph, model),
                          channelPruning: compressed.channelPruning)
    }

    private func report(_ original: Graph, _ compressed: Graph, _ model: GeneratedModel) -> CompressionReport? {
        guard !compression.isEmpty else { return nil }
        switch compression.quantization {
        case .int8:
            return CompressionReport(layers: model.layers, original: original, constantBytes: model.weightBytes)
        case .int8Weights:
            return CompressionReport(layers: CompressionReport.int8WeightLayers(compressed), original: original)
        case .none:
            return CompressionReport(layers: CompressionReport.floatLayers(compressed), original: original, constantBytes: model.weightBytes)
        }
    }
}
