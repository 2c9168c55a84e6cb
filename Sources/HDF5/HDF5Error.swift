/// A failure reading an HDF5 file: what was being done, where, and what libhdf5 said.
public struct HDF5Error: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The file does not exist or cannot be read.
        case cannotOpen
        /// The file is not HDF5 or its structure is damaged.
        case corrupt
        /// A group, dataset or attribute that was asked for is not there.
        case notFound
        /// The data has a type the caller cannot use (strings where numbers belong…).
        case wrongType
        /// A dataset or attribute declares more elements than may be read.
        case tooLarge
        /// Any other libhdf5 failure.
        case library
    }

    public var kind: Kind
    /// The file that was being read.
    public var file: String
    /// The object path inside the file (`/model_weights/fc1/...`), empty for the file itself.
    public var object: String
    /// What went wrong, in words a user can act on.
    public var message: String
    /// libhdf5's error stack, innermost first; empty when the failure was detected in Swift.
    public var libraryMessages: [String]

    public init(_ kind: Kind, file: String, object: String = "", message: String, libraryMessages: [String] = []) {
        self.kind = kind
        self.file = file
        self.object = object
        self.message = message
        self.libraryMessages = libraryMessages
    }

    public var description: String {
        var text = file
        if !object.isEmpty { text += ":" + object }
        text += ": " + message
        if let detail = libraryMessages.first {
            text += " (HDF5: " + detail + ")"
        }
        return text
    }
}
