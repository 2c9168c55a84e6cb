/// The C code for one model: the files to write and the figures that describe them.
public struct GeneratedModel: Equatable, Sendable {
    /// One file of the output folder.
    public struct File: Equatable, Sendable {
        /// Path inside the output folder, e.g. `digits.c`, `tp_dense_f32.h`, or in a package
        /// `src/digits.c`.
        public var name: String
        public var contents: String

        public init(name: String, contents: String) {
            self.name = name
            self.contents = contents
        }
    }

    /// The model's C name: functions `NAME_predict`, macros `NAME_…` upper-cased.
    public var name: String
    /// What the C computes in: float, or int8 with float wrappers.
    public var precision: Precision
    /// `NAME.h`, `NAME.c`, then the kernel headers they need, sorted by name.
    public var files: [File]
    /// Planned activations, kernel scratch and, in an int8 model, the float entry points' int8
    /// copies (`NAME_STAGING_BYTES` of them). `NAME_ARENA_BYTES` is this rounded up to 4.
    public var arenaBytes: Int
    /// What the activations would take with one buffer each, nothing shared.
    public var unsharedArenaBytes: Int
    /// Flash taken by every constant array: float weights and, in an int8 model, the int8
    /// weights, indices, biases, multipliers and tables.
    public var weightBytes: Int
    /// The float weight arrays, in the order they appear.
    public var weights: [PackedWeight]
    /// Elements of each model input and output, flattened.
    public var inputSizes: [Int]
    public var outputSizes: [Int]
    /// One entry per layer with int8 weights (int8 models), in model order.
    public var layers: [LayerFootprint]
    /// The int8 encoding of the inputs and outputs; `nil` for a float model.
    public var quantization: ModelQuantization?
    /// Nodes an int8 model computes in float.
    public var floatLayers: [String]

    /// The file called `name`, if generated.
    public func file(named name: String) -> File? {
        files.first { $0.name == name }
    }

    /// `NAME.h`.
    public var header: String { file(named: name + ".h")?.contents ?? "" }
    /// `NAME.c`.
    public var source: String { file(named: name + ".c")?.contents ?? "" }
}

extension GeneratedModel {
    /// `NAME.h` and `NAME.c`, then the kernel headers they include, directly or through
    /// another kernel header: the files of every model.
    static func files(name: String, header: String, source: String, kernelHeaders: Set<String>) -> [File] {
        var files = [File(name: name + ".h", contents: header), File(name: name + ".c", contents: source)]
        for kernelHeader in EmbeddedFiles.headerClosure(Array(kernelHeaders)) {
            files.append(File(name: kernelHeader, contents: EmbeddedFiles.headers[kernelHeader] ?? ""))
        }
        return files
    }
}
