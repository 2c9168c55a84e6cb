import Foundation

/// A generated model compiled together with the host driver in a folder, so float and int8
/// models are checked with C built from the same files and flags.
struct DriverBuild {
    let folder: TemporaryDirectory
    /// The flags the C was compiled with, for the report.
    let flags: [String]
    /// What the compiler printed, trimmed.
    let compilerOutput: String

    /// Writes `model` and its driver into `folder` and compiles them into `folder/driver`, with
    /// the sanitizers when `sanitize` is set.
    init(_ model: GeneratedModel, in folder: TemporaryDirectory, compiler: CCompiler, sanitize: Bool) throws {
        for file in model.files {
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: folder.file(file.name)))
        }
        let driver = Self.driverSource(model)
        try Data(driver.utf8).write(to: URL(fileURLWithPath: folder.file("driver.c")))
        let flags = ParityHarness.hostFlags + (sanitize ? ParityHarness.sanitizerFlags : [])
        let compiled = try compiler.compile(flags + ["\(model.name).c", "driver.c", "-o", "driver", "-lm"], in: folder.path)
        self.folder = folder
        self.flags = flags
        compilerOutput = (compiled.stderr + compiled.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the driver with `arguments` in the folder, stopped (with everything it started) past
    /// `timeLimit` seconds; a run that fails is a `ParityError`.
    func run(_ arguments: [String], timeLimit: Double) throws {
        let run = try ProcessRunner.run(folder.file("driver"), arguments, in: folder.path, timeLimit: timeLimit)
        guard run.succeeded else {
            throw ParityError.driverFailed(
                status: run.status, output: (run.stderr + run.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Seconds the driver may take for work the Swift reference did in `referenceSeconds`: a
    /// minute, plus fifty times the reference's time (the C at -O2 is faster than the reference;
    /// the sanitizers slow it by up to about twenty times). A driver past it is stuck, not slow.
    static func timeLimit(referenceSeconds: Double) -> Double {
        60 + 50 * referenceSeconds
    }

    /// The raw values the driver wrote to `file` in the folder; empty when it wrote none.
    func read<Element>(_ file: String) -> [Element] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: folder.file(file)))) ?? Data()
        return data.withUnsafeBytes { Array($0.bindMemory(to: Element.self)) }
    }

    /// The host driver for `model`, rendered from `codegen/driver.c.tmpl`.
    static func driverSource(_ model: GeneratedModel) -> String {
        var values = templateValues(model)
        values["has_int8_entry"] = model.precision == .int8 ? "1" : "0"
        return TemplateRenderer.render(EmbeddedFiles.driverTemplate, values)
    }

    /// What every driver template is given: the model's name, its macro prefix and the sizes
    /// of its inputs and outputs (the Cortex-M driver of `topiary profile` uses these alone).
    static func templateValues(_ model: GeneratedModel) -> [String: String] {
        let macro = CIdentifier.macroCase(model.name)
        let inputs = model.inputSizes.indices.map { "\(macro)_INPUT_\($0)_SIZE" }
        let outputs = model.outputSizes.indices.map { "\(macro)_OUTPUT_\($0)_SIZE" }
        return [
            "name": model.name, "MACRO": macro,
            "input_sizes": inputs.joined(separator: ", "), "output_sizes": outputs.joined(separator: ", "),
            "input_total": "(" + inputs.joined(separator: " + ") + ")",
            "output_total": "(" + outputs.joined(separator: " + ") + ")",
        ]
    }
}
