/// The library's one way from an imported graph to C: compresses the graph as the compression
/// options ask, generates the C of the result in its precision, and accounts for what
/// compression did, so a caller (the `topiary` command, a test, a benchmark) only supplies
/// options and data and reads the outcome.
public struct Converter: Sendable {
    public var compression: CompressionOptions
    public var conversion: ConversionOptions
    /// The model's files, for the header comment; `nil` for a graph built in memory.
    public var source: SourceDescription?

    public init(
        compression: CompressionOptions = CompressionOptions(), conversion: ConversionOptions = ConversionOptions(),
        source: SourceDescription? = nil
    ) {
        self.compression = compression
        self.conversion = conversion
        self.source = source
    }

    /// What a conversion produced.
    public struct Conversion: Sendable {
        /// What the compression passes did, with the compressed graph the C computes.
        public var compressed: CompressionPipeline.Result
        public var model: GeneratedModel
        /// Per-layer storage and cost against the float original; `nil` when nothing was compressed.
        public var report: CompressionReport?

        /// The graph the C computes: the imported one, compressed.
        public var graph: Graph { compressed.graph }
    }

    /// Converts `graph`. `calibration` (one array of input tensors per sample) is needed for
    /// int8 quantization, reconstruction and OBS pruning; fine-tuning trains on
    /// `fineTuningSamples` (default: `calibration`) with `fineTuningLabels` when given;
    /// `progress` hears the long passes.
    public func convert(
        _ graph: Graph, calibration: [[Tensor]]? = nil, fineTuningSamples: [[Tensor]]? = nil,
        fineTuningLabels: [Int]? = nil, progress: ((String) -> Void)? = nil
    ) throws -> Conversion {
        let compressed = try CompressionPipeline.run(
            graph, options: compression, calibration: calibration,
            fineTuningSamples: fineTuningSamples, fineTuningLabels: fineTuningLabels,
            progress: progress)
        let model = try CodeGenerator(options: conversion, source: source).generate(compressed.graph)
        return Conversion(compressed: compressed, model: model, report: report(graph, compressed.graph, model))
    }

    private func report(_ original: Graph, _ compressed: Graph, _ model: GeneratedModel) -> CompressionReport? {
        guard !compression.isEmpty else { return nil }
        switch compression.quantization {
        case .int8:
            return CompressionReport(layers: model.layers, original: original, constantBytes: model.weightBytes)
        case .int8Weights:
            return CompressionReport(layers: CompressionReport.int8WeightLayers(compressed), original: original)
        case .none:
            return CompressionReport(
                layers: CompressionReport.floatLayers(compressed), original: original, constantBytes: model.weightBytes)
        }
    }
}
