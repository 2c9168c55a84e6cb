/// The choices a conversion takes, recorded in the generated files' header comment.
///
/// Only the C name exists on the float path; pruning and quantization options join it here,
/// and `topiary convert` and `topiary verify` share them.
public struct ConversionOptions: Equatable, Sendable {
    /// The C name of the model: functions use it as given, macros upper-cased. `nil` takes a
    /// sanitized form of the Keras model's name.
    public var name: String?

    public init(name: String? = nil) {
        self.name = name
    }

    /// The options as command-line flags, for the header comment.
    var recorded: String {
        var flags: [String] = []
        if let name { flags.append("--name \(name)") }
        return flags.isEmpty ? "(defaults)" : flags.joined(separator: " ")
    }
}
