/// The C code for one model: the files to write and the figures that describe them.
public struct GeneratedModel: Equatable, Sendable {
    /// One file of the output folder.
    public struct File: Equatable, Sendable {
        /// Base name, e.g. `digits.c` or `tp_dense_f32.h`.
        public var name: String
        public var contents: String

        public init(name: String, contents: String) {
            self.name = name
            self.contents = contents
        }
    }

    /// The model's C name: functions `NAME_predict`, macros `NAME_…` upper-cased.
    public var name: String
    /// `NAME.h`, `NAME.c`, then the kernel headers they need, sorted by name.
    public var files: [File]
    /// Planned activation arena (`NAME_ARENA_BYTES`).
    public var arenaBytes: Int
    /// What the activations would take with one buffer each, nothing shared.
    public var unsharedArenaBytes: Int
    /// Flash taken by the weight arrays.
    public var weightBytes: Int
    /// The weight arrays, in the order they appear.
    public var weights: [PackedWeight]
    /// Elements of each model input and output, flattened.
    public var inputSizes: [Int]
    public var outputSizes: [Int]

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
    /// another kernel header: the files both generators return.
    static func files(name: String, header: String, source: String, kernelHeaders: Set<String>) -> [File] {
        var files = [File(name: name + ".h", contents: header), File(name: name + ".c", contents: source)]
        for kernelHeader in EmbeddedFiles.headerClosure(Array(kernelHeaders)) {
            files.append(File(name: kernelHeader, contents: EmbeddedFiles.headers[kernelHeader] ?? ""))
        }
        return files
    }
}
