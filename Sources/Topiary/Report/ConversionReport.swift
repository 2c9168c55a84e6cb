/// What `topiary convert --json` prints: the files written, flash and RAM, the planned arena,
/// the compression table, the fidelity of the compressed model and how long it took.
public struct ConversionReport: Codable, Equatable, Sendable {
    /// Flash and RAM of the model on the target, measured or computed (`Footprint`).
    public struct Sizes: Codable, Equatable, Sendable {
        public var flash: Int
        public var ram: Int
        /// Sections; `text` is `nil` when the sizes were computed rather than measured.
        public var text: Int?
        public var rodata: Int
        public var data: Int
        public var bss: Int
        public var measured: Bool
        /// The compile command of a measurement, or why none was made.
        public var method: String

        public init(_ footprint: Footprint) {
            flash = footprint.flashBytes
            ram = footprint.ramBytes
            text = footprint.text
            rodata = footprint.rodata
            data = footprint.data
            bss = footprint.bss
            switch footprint.method {
            case let .measured(command):
                measured = true
                method = command
            case let .computed(reason):
                measured = false
                method = reason
            }
        }
    }

    /// One weighted layer's row of the compression table.
    public struct Layer: Codable, Equatable, Sendable {
        public var name: String
        public var format: String
        public var sparsity: Double
        public var weights: Int
        public var nonzeros: Int
        public var valueBytes: Int
        public var indexBytes: Int
        public var metadataBytes: Int
        public var bytes: Int
        public var nonzeroMultiplyAdds: Int
        /// What the layer's kernel computes: the nonzero ones for a sparse format, all for a dense one.
        public var multiplyAddsRun: Int
        public var denseMultiplyAdds: Int
        public var float32Bytes: Int

        public init(_ layer: LayerFootprint) {
            name = layer.layer
            format = CompressionReport.formatName(layer)
            sparsity = layer.sparsity
            weights = layer.weights
            nonzeros = layer.nonzeros
            valueBytes = layer.valueBytes
            indexBytes = layer.indexBytes
            metadataBytes = layer.metadataBytes
            bytes = layer.totalBytes
            nonzeroMultiplyAdds = layer.nonzeroMACs
            multiplyAddsRun = CompressionReport.multiplyAddsRun(layer)
            denseMultiplyAdds = layer.denseMACs
            float32Bytes = layer.float32Bytes
        }
    }

    /// The compression table's rows and totals.
    public struct Compression: Codable, Equatable, Sendable {
        /// The options as given, as the header comment records them.
        public var options: String
        public var layers: [Layer]
        public var sparsity: Double
        /// Values, indices and metadata of the weighted layers.
        public var bytes: Int
        public var nonzeroMultiplyAdds: Int
        public var multiplyAddsRun: Int
        public var float32ModelBytes: Int
        public var float32MultiplyAdds: Int
        /// False when the weights stay dense (pruned float32, or int8 stored dense): then
        /// pruning saves neither flash nor time.
        public var sparseStorage: Bool
        /// Every constant array of the generated C, tables and float layers included.
        public var constantBytes: Int?

        public init(_ report: CompressionReport, options: String) {
            self.options = options
            layers = report.layers.map(Layer.init)
            sparsity = report.sparsity
            bytes = report.totalBytes
            nonzeroMultiplyAdds = report.totalNonzeroMACs
            multiplyAddsRun = report.multiplyAddsRun
            float32ModelBytes = report.float32ModelBytes
            float32MultiplyAdds = report.float32MACs
            sparseStorage = report.storesSparse
            constantBytes = report.constantBytes
        }
    }

    /// The model's C name and what it computes in (`float32` or `int8`).
    public var name: String
    public var precision: String
    /// The files written, `NAME.h` and `NAME.c` first.
    public var files: [String]
    /// Elements of each model input and output, flattened (`NAME_INPUT_k_SIZE`, `NAME_OUTPUT_k_SIZE`).
    public var inputSizes: [Int]
    public var outputSizes: [Int]
    public var sizes: Sizes
    /// `NAME_ARENA_BYTES`, and what one buffer per tensor would take.
    public var arenaBytes: Int
    public var unsharedArenaBytes: Int
    /// Every constant array of the generated C.
    public var constantBytes: Int
    /// Nodes an int8 model computes in float.
    public var floatLayers: [String]
    public var compression: Compression?
    /// Output channels structured pruning removed, per layer.
    public var removedChannels: [String: Int]
    /// Output channels removed because pruning left no later layer reading them, per layer.
    public var unreadChannels: [String: Int]
    public var fidelity: FidelityReport?
    /// Why no fidelity was measured for a compressed model (no data at hand).
    public var fidelityNote: String?
    /// Warnings also printed on standard error.
    public var warnings: [String]
    /// Wall-clock seconds of the import, compression and code generation.
    public var seconds: Double

    public init(
        model: GeneratedModel, files: [String], footprint: Footprint, compression: Compression?,
        removedChannels: [String: Int] = [:], unreadChannels: [String: Int] = [:], fidelity: FidelityReport?,
        fidelityNote: String?, warnings: [String], seconds: Double
    ) {
        name = model.name
        precision = model.precision.rawValue
        self.files = files
        inputSizes = model.inputSizes
        outputSizes = model.outputSizes
        sizes = Sizes(footprint)
        arenaBytes = model.arenaBytes
        unsharedArenaBytes = model.unsharedArenaBytes
        constantBytes = model.weightBytes
        floatLayers = model.floatLayers
        self.compression = compression
        self.removedChannels = removedChannels
        self.unreadChannels = unreadChannels
        self.fidelity = fidelity
        self.fidelityNote = fidelityNote
        self.warnings = warnings
        self.seconds = seconds
    }
}
