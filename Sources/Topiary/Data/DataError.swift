/// A data file (`.npy`, or an HDF5 dataset given as `file.h5:dataset`) that cannot be read or
/// written, naming the file and saying what to do.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, or `file.h5:dataset`, as the user gave it.
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
