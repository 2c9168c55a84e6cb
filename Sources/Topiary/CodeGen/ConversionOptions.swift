/// The choices a conversion takes besides compression, recorded in the generated files'
/// header comment; `topiary convert` and `topiary verify` share them.
public struct ConversionOptions: Equatable, Sendable {
    /// The C name of the model: functions use it as given, macros upper-cased. `nil` takes a
    /// sanitized form of the Keras model's name.
    public var name: String?
    /// How int8 weights are stored: per layer as `optimize` weighs them, or one format everywhere.
    public var format: FormatChoice
    /// What the automatic format weighs: estimated instructions, bytes, or both.
    public var optimize: OptimizationGoal
    /// How the model was compressed, as the user spelled it, for the header comment (empty
    /// when it was not).
    public var compression: String
    /// The core the model is built for, when one was named: recorded in the header and used
    /// for the flash and RAM measurement and for profiling.
    public var target: CortexMTarget?

    public init(
        name: String? = nil, format: FormatChoice = .auto, optimize: OptimizationGoal = .balanced, compression: String = "",
        target: CortexMTarget? = nil
    ) {
        self.name = name
        self.format = format
        self.optimize = optimize
        self.compression = compression
        self.target = target
    }

    /// The options as command-line flags, for the header comment.
    var recorded: String {
        var flags: [String] = []
        if let name { flags.append("--name \(name)") }
        if !compression.isEmpty { flags.append(compression) }
        return flags.isEmpty ? "(defaults)" : flags.joined(separator: " ")
    }
}
