import Crypto
import Foundation

/// The files a model came from, as generated code records them: base names and SHA-256
/// digests only, so the output does not depend on where the files were or when they were
/// converted, and a reader can still tell exactly which model produced it.
public struct SourceDescription: Equatable, Sendable {
    /// Base name of the model file, e.g. `model.h5`.
    public var fileName: String
    /// Lower-case hex SHA-256 of the model file.
    public var sha256: String
    /// Base name and digest of the architecture JSON, for a weights-only model.
    public var config: (fileName: String, sha256: String)?

    public init(fileName: String, sha256: String, config: (fileName: String, sha256: String)? = nil) {
        self.fileName = fileName
        self.sha256 = sha256
        self.config = config
    }

    /// Describes the files at `modelPath` (and `configPath`), reading them to hash them.
    public init(modelPath: String, configPath: String? = nil) throws {
        fileName = URL(fileURLWithPath: modelPath).lastPathComponent
        sha256 = try Self.digest(of: modelPath)
        if let configPath {
            config = (URL(fileURLWithPath: configPath).lastPathComponent, try Self.digest(of: configPath))
        }
    }

    /// Lower-case hex SHA-256 of the file at `path`, read in chunks.
    public static func digest(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CodeGenError.cannotRead(path: path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public static func == (lhs: SourceDescription, rhs: SourceDescription) -> Bool {
        lhs.fileName == rhs.fileName && lhs.sha256 == rhs.sha256
            && lhs.config?.fileName == rhs.config?.fileName && lhs.config?.sha256 == rhs.config?.sha256
    }
}
