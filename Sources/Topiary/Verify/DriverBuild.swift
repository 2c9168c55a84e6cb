import Foundation

/// A generated model compiled together with a host driver in a folder: the step the float and
/// the int8 parity harnesses share, so both check C built with the same files and flags.
struct DriverBuild {
    let folder: TemporaryDirectory
    /// The flags the C was compiled with, for the report.
    let flags: [String]
    /// What the compiler printed, trimmed.
    let compilerOutput: String

    /// Writes `model` and the driver rendered from `driverTemplate` into `folder` and compiles
    /// them into `folder/driver`, with the sanitizers when `sanitize` is set.
    init(_ model: GeneratedModel, driverTemplate: String, in folder: TemporaryDirectory, compiler: CCompiler, sanitize: Bool) throws {
        for file in model.files {
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: folder.file(file.name)))
        }
        let driver = Self.driverSource(model, template: driverTemplate)
        try Data(driver.utf8).write(to: URL(fileURLWithPath: folder.file("driver.c")))
        let flags = ParityHarness.hostFlags + (sanitize ? ParityHarness.sanitizerFlags : [])
        let compiled = try compiler.compile(flags + ["\(model.name).c", "driver.c", "-o", "driver", "-lm"], in: folder.path)
        self.folder = folder
        self.flags = flags
        compilerOutput = (compiled.stderr + compiled.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the driver with `arguments` in the folder; a run that fails is a `ParityError`.
    func run(_ arguments: [String]) throws {
        let run = try ProcessRunner.run(folder.file("driver"), arguments, in: folder.path)
        guard run.succeeded else {
            throw ParityError.driverFailed(status: run.status, output: (run.stderr + run.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// The host driver for `model`, rendered from one of the `codegen/*driver.c.tmpl` templates.
    static func driverSource(_ model: GeneratedModel, template: String) -> String {
        let macro = CIdentifier.macroCase(model.name)
        let inputs = model.inputSizes.indices.map { "\(macro)_INPUT_\($0)_SIZE" }
        let outputs = model.outputSizes.indices.map { "\(macro)_OUTPUT_\($0)_SIZE" }
        return TemplateRenderer.render(template, [
            "name": model.name, "MACRO": macro,
            "input_sizes": inputs.joined(separator: ", "), "output_sizes": outputs.joined(separator: ", "),
            "input_total": "(" + inputs.joined(separator: " + ") + ")",
            "output_total": "(" + outputs.joined(separator: " + ") + ")",
        ])
    }
}
