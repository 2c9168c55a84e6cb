import ArgumentParser
import Topiary

/// The conversion options `convert` and `verify` share, so that `verify` checks exactly the
/// C that `convert` writes.
struct ConversionArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "C name of the model: functions NAME_predict…, macros NAME_… upper-cased (default: the Keras model name, sanitized).",
            valueName: "NAME"))
    var name: String?

    @Option(
        help: ArgumentHelp(
            "When to measure flash and RAM by compiling the C for a Cortex-M: never, auto (unless the C is over 4 MiB) or always.",
            valueName: "when"))
    var measureSize: SizeMeasurement = .auto

    func validate() throws {
        if let name, !CIdentifier.isValid(name) {
            throw ValidationError(CodeGenError.invalidName(name).description)
        }
    }

    var options: ConversionOptions { ConversionOptions(name: name) }
}

extension SizeMeasurement: ExpressibleByArgument {}
