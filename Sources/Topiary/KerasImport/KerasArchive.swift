import Foundation
import ZIPFoundation

/// A `.keras` zip archive opened for reading with every size bounded.
///
/// The archive's own headers are checked against each other first (`ZipHeaderCheck`), then
/// each entry is inflated through a counter that stops at its limit: the sizes an entry
/// declares are never what decides how much is read or allocated.
struct KerasArchive {
    let path: String
    private let archive: Archive

    init(path: String, limits: ReadLimits) throws {
        self.path = path
        let mapped: Data
        do {
            mapped = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ImportError.notAModel(file: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        do {
            try ZipHeaderCheck.check(mapped)
        } catch {
            throw ImportError.notAModel(file: path, reason: "is a zip file but not a readable .keras archive: \(error.reason)")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ImportError.notAModel(file: path, reason: "is a zip file but cannot be read as a .keras archive; it may be truncated")
        }
    }

    /// The inflated bytes of entry `name`, or nil when the archive has none; refuses an entry
    /// that is not a plain file or that inflates to more than `limit` bytes.
    func member(_ name: String, limit: Int) throws -> Data? {
        guard let entry = archive[name] else { return nil }
        guard entry.type == .file else {
            throw ImportError.notAModel(file: path, reason: "archive entry \(name) is a \(entry.type == .symlink ? "symbolic link" : "directory"), not a file; the archive is not one Keras wrote")
        }
        let tooLarge = ImportError.notAModel(file: path, reason: "archive entry \(name) inflates to more than the \(ReadLimits.describe(limit)) allowed; raise the model size limit if the model is really that large")
        guard entry.uncompressedSize <= UInt64(limit) else { throw tooLarge }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard chunk.count <= limit - data.count else { throw InflatedTooFar() }
                data.append(chunk)
            }
        } catch is InflatedTooFar {
            throw tooLarge
        } catch {
            throw ImportError.notAModel(file: path, reason: "archive entry \(name) cannot be extracted (\(error)); the archive may be damaged")
        }
        return data
    }

    /// Stops an extraction that has gone past its limit.
    private struct InflatedTooFar: Error {}
}
