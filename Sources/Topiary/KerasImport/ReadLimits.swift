/// How much an import may read and allocate, so that a damaged or hostile file ends with an
/// error instead of exhausting memory.
///
/// Sizes declared by a file (a zip entry's size, a dataset's shape) are never trusted: archive
/// entries are inflated through a counter that stops at the limit, and weights and tensors are
/// counted before anything is allocated. The defaults fit every model a microcontroller can
/// run with a wide margin; `modelBytes` raises all of them for genuinely large models.
public struct ReadLimits: Equatable, Sendable {
    /// 256 MiB: the weights of a model (the inflated `model.weights.h5` of an archive, or the
    /// weight values read from an `.h5`).
    public static let defaultModelBytes = 256 << 20

    /// The weights, in bytes.
    public var modelBytes: Int
    /// The architecture JSON, in bytes: a sixteenth of `modelBytes`, at least 16 MiB (parsed in
    /// a few seconds).
    public var configurationBytes: Int { max(16 << 20, modelBytes / 16) }
    /// An archive's `metadata.json`, in bytes.
    public var metadataBytes: Int { 1 << 20 }
    /// One activation tensor, in bytes of float32: a quarter of `modelBytes` (64 MiB by default).
    public var tensorBytes: Int { max(1 << 20, modelBytes / 4) }

    public init(modelBytes: Int = ReadLimits.defaultModelBytes) {
        self.modelBytes = max(1, modelBytes)
    }

    /// `bytes` as a short figure for messages: `1.5 GiB`, `64 MiB`, `912 bytes`.
    static func describe(_ bytes: Int) -> String {
        let units: [(String, Double)] = [("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10)]
        for (unit, size) in units where Double(bytes) >= size {
            let value = Double(bytes) / size
            return value >= 100 || value == value.rounded() ? "\(Int(value.rounded())) \(unit)" : "\((value * 10).rounded() / 10) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
