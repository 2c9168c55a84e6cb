import ArgumentParser
import Topiary

/// The conversion options `convert`, `verify` and `profile` share, so that `verify` checks
/// exactly the C that `convert` writes.
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

    @Option(
        help: ArgumentHelp(
            "The Cortex-M core: \(CortexMTarget.allCases.map(\.rawValue).joined(separator: ", ")). Sets the compiler flags of the flash and RAM measurement (default cortex-m4, without FPU) and of profile (default cortex-m4f), and is recorded in the header.",
            valueName: "core"))
    var target: CortexMTarget?

    func validate() throws {
        if let name, !CIdentifier.isValid(name) {
            throw ValidationError(CodeGenError.invalidName(name).description)
        }
    }

    var options: ConversionOptions { ConversionOptions(name: name, target: target) }
}

extension SizeMeasurement: ExpressibleByArgument {}
extension CortexMTarget: ExpressibleByArgument {}
extension BuildPackage: ExpressibleByArgument {}
