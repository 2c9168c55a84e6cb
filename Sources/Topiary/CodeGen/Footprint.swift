import Foundation

/// Flash and RAM a generated model takes on a microcontroller.
///
/// Measured when `arm-none-eabi-gcc` and `arm-none-eabi-size` are installed: `NAME.c` is
/// compiled for the target core (by default a Cortex-M4 without FPU) at `-Os` in a temporary
/// folder and its sections are summed.
/// Otherwise computed from what the generator knows: weight bytes (read-only data) and
/// arena bytes (zero-initialised RAM); code size is then unknown.
public struct Footprint: Equatable, Sendable {
    /// How the figures were obtained.
    public enum Method: Equatable, Sendable {
        case measured(command: String)
        /// `reason` says why no measurement was made.
        case computed(reason: String)
    }

    /// Machine code (`.text*`); `nil` when computed.
    public var text: Int?
    /// Constant data (`.rodata*`): the weights and layer parameters.
    public var rodata: Int
    /// Initialised RAM (`.data*`), also stored in flash.
    public var data: Int
    /// Zero-initialised RAM (`.bss*`): the activation arena.
    public var bss: Int
    public var method: Method

    public var flashBytes: Int { (text ?? 0) + rodata + data }
    public var ramBytes: Int { data + bss }

    /// The flags the measurement compiles with for `target`.
    public static func armFlags(for target: CortexMTarget) -> [String] {
        ["-std=c99"] + target.cpuFlags + ["-Os"]
    }

    /// Measures `model` with the ARM toolchain for `target` (`CortexMTarget.measurementDefault`
    /// when nil), or computes the figures when `measure` says not to, or the toolchain is
    /// missing, fails or runs out of time.
    public static func of(_ model: GeneratedModel, measure: SizeMeasurement = .auto, target: CortexMTarget? = nil) -> Footprint {
        let armFlags = armFlags(for: target ?? .measurementDefault)
        let computed = { (reason: String) in
            Footprint(text: nil, rodata: model.weightBytes, data: 0, bss: model.arenaBytes, method: .computed(reason: reason))
        }
        let sourceBytes = model.files.reduce(0) { $0 + $1.contents.utf8.count }
        switch measure {
        case .never:
            return computed("measurement not asked for")
        case .auto where sourceBytes > SizeMeasurement.autoLimitBytes:
            return computed("the C is \(sourceBytes >> 20) MiB, too large to compile for a measurement unless asked to")
        case .auto, .always:
            break
        }
        guard let compiler = CCompiler.armNoneEabi, ExecutableSearch.find("arm-none-eabi-size") != nil else {
            return computed("arm-none-eabi-gcc and arm-none-eabi-size are not installed")
        }
        do {
            let folder = try TemporaryDirectory(prefix: "topiary-size")
            defer { folder.remove() }
            for file in model.files {
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: folder.file(file.name)))
            }
            let arguments = armFlags + ["-c", model.name + ".c", "-o", model.name + ".o"]
            try compiler.compile(arguments, in: folder.path)
            let sizes = try ProcessRunner.run("arm-none-eabi-size", ["-A", model.name + ".o"], in: folder.path)
            guard sizes.succeeded else { return computed("arm-none-eabi-size failed: \(sizes.stderr)") }
            var result = Footprint(
                text: 0, rodata: 0, data: 0, bss: 0,
                method: .measured(command: (compiler.command + armFlags).joined(separator: " ")))
            for line in sizes.stdout.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 2, let size = Int(fields[1]) else { continue }
                let section = fields[0]
                if section.hasPrefix(".text") {
                    result.text! += size
                } else if section.hasPrefix(".rodata") {
                    result.rodata += size
                } else if section.hasPrefix(".data") {
                    result.data += size
                } else if section.hasPrefix(".bss") {
                    result.bss += size
                }
            }
            return result
        } catch {
            return computed("the ARM compile failed: \(error)")
        }
    }
}
