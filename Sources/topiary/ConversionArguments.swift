import ArgumentParser
import Topiary

/// The conversion options `convert` and `verify` share, so that `verify` checks exactly the
/// C that `convert` writes.
struct ConversionArguments: ParsableArguments {
    @Option(help: ArgumentHelp("C name of the model: functions NAME_predict…, macros NAME_… upper-cased (default: the Keras model name, sanitized).",
                               valueName: "NAME"))
    var name: String?

    func validate() throws {
        if let name, !CIdentifier.isValid(name) {
            throw ValidationError(CodeGenError.invalidName(name).description)
        }
    }

    var options: ConversionOptions { ConversionOptions(name: name) }
}
