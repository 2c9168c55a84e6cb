import Foundation
import ZIPFoundation

/// A `.keras` zip archive opened for reading with every size bounded.
///
/// The archive's own headers are checked against each other first (`ZipHeaderCheck`), then
/// each entry is refused when it declares more than its limit and inflated through a counter
/// that stops at the size it declares: an entry that lies about its size can never make the
/// import read or allocate more than the limit.
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
    /// that is not a plain file, that declares more than `limit` bytes, or that inflates to
    /// more than it declares.
    func member(_ name: String, limit: Int) throws -> Data? {
        guard let entry = archive[name] else { return nil }
        guard entry.type == .file else {
            throw ImportError.notAModel(
                file: path,
                reason:
                    "archive entry \(name) is a \(entry.type == .symlink ? "symbolic link" : "directory"), not a file; the archive is not one Keras wrote"
            )
        }
        let tooLarge = ImportError.notAModel(
            file: path,
            reason:
                "archive entry \(name) inflates to more than the \(ReadLimits.describe(limit)) allowed; raise the model size limit if the model is really that large"
        )
        guard entry.uncompressedSize <= UInt64(limit) else { throw tooLarge }
        // The headers agree (checked on opening), so an entry inflating past the size they
        // declare is forged: it is stopped there, not at the limit, however large it would grow.
        let declared = Int(entry.uncompressedSize)
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard chunk.count <= declared - data.count else { throw InflatedTooFar() }
                data.append(chunk)
            }
        } catch is InflatedTooFar {
            throw ImportError.notAModel(
                file: path,
                reason:
                    "archive entry \(name) inflates to more than the \(declared) bytes its headers declare; the archive is damaged or forged"
            )
        } catch {
            throw ImportError.notAModel(
                file: path, reason: "archive entry \(name) cannot be extracted (\(error)); the archive may be damaged")
        }
        return data
    }

    /// Stops an extraction that has gone past the size its headers declare.
    private struct InflatedTooFar: Error {}
}
