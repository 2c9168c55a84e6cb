import Foundation
import HDF5

/// Loads the arrays `predict`, `evaluate` and calibration read: a NumPy file `x.npy`, or an
/// HDF5 dataset written `file.h5:path/to/dataset` (h5py writes both).
public enum ArrayFile {
    /// Loads the array named by `spec`, either `file.npy` or `file.h5:dataset/path`.
    ///
    /// The split between file and dataset is taken at the last `:` whose prefix is an
    /// existing file, so file names containing `:` still work.
    public static func load(_ spec: String) throws -> NDArray {
        let manager = FileManager.default
        if manager.fileExists(atPath: spec) {
            if let refusal = SpecialFile.refusal(for: spec) {
                throw DataError(file: spec, refusal + "; give a .npy file or file.h5:dataset")
            }
            return try loadWhole(spec)
        }
        if let colon = spec.lastIndex(of: ":") {
            let path = String(spec[..<colon])
            let dataset = String(spec[spec.index(after: colon)...])
            if manager.fileExists(atPath: path) {
                guard !dataset.isEmpty else {
                    throw DataError(file: spec, "names no dataset after ':'; write file.h5:dataset")
                }
                if let refusal = SpecialFile.refusal(for: path) { throw DataError(file: path, refusal) }
                return try loadDataset(file: path, dataset: dataset)
            }
        }
        throw DataError(file: spec, "no such file; give a .npy file or an HDF5 dataset as file.h5:dataset")
    }

    /// A file given without a dataset: a `.npy` file, or an HDF5 file, which needs one named.
    private static func loadWhole(_ path: String) throws -> NDArray {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 8)) ?? Data()
        if head.starts(with: NpyHeader.magic) { return try NpyFile.read(path: path) }
        if head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) {
            let names = (try? HDF5.File(path: path).root.childNames()) ?? []
            let listing = names.isEmpty ? "" : " (top-level entries: \(names.joined(separator: ", ")))"
            throw DataError(file: path, "is an HDF5 file: name the dataset to read as \(path):DATASET\(listing)")
        }
        throw DataError(file: path, "is neither a .npy file nor an HDF5 file; save arrays with numpy.save or h5py")
    }

    /// Reads `dataset` from the HDF5 file at `file`; integer datasets (class labels) are kept
    /// marked as integers.
    public static func loadDataset(file: String, dataset: String) throws -> NDArray {
        let spec = "\(file):\(dataset)"
        do {
            let data = try HDF5.File(path: file).root.dataset(dataset)
            switch try data.elementClass() {
            case .integer:
                let (shape, values) = try data.readInt64s()
                return NDArray(shape: shape, values: values.map(Float.init), elementKind: .integer)
            case .float:
                let (shape, values) = try data.readFloats()
                return NDArray(shape: shape, values: values, elementKind: .float)
            case .string:
                throw DataError(file: spec, "holds text, not numbers")
            case let .other(kind):
                throw DataError(file: spec, "holds \(kind) data, not plain numbers; save a numeric array (e.g. float32)")
            }
        } catch let error as HDF5Error {
            throw DataError(
                file: spec,
                error.kind == .notFound
                    ? "no such dataset in \(file) (\(error.message))"
                    : error.description)
        }
    }
}
