import Foundation

/// Measures a generated model where it will run: builds it for a Cortex-M core with a small
/// driver (`codegen/cortex-m/`), runs it under `qemu-system-arm -icount shift=0`, where the
/// emulated clock advances one nanosecond per instruction and the SysTick timer, at the
/// boards' 25 MHz processor clock, counts once every 40 instructions, and compares the outputs
/// with the Swift reference.
///
/// Two images are built from the same files: one as a user builds it, which gives the
/// instructions per inference, and one with `TOPIARY_PROFILE_MARK` defined, whose marks
/// between layers give each layer's share.
public struct EmulatedProfiler: Sendable {
    public var target: CortexMTarget
    public var optimization: ProfileOptimization

    /// Instructions per SysTick count under `-icount shift=0` on the MPS2 boards.
    static let instructionsPerTick = 40

    /// The programs profiling needs, each with the Debian package that provides it.
    public static let tools: [(tool: String, package: String)] = [
        ("arm-none-eabi-gcc", "gcc-arm-none-eabi libnewlib-arm-none-eabi"),
        ("arm-none-eabi-size", "binutils-arm-none-eabi"),
        ("qemu-system-arm", "qemu-system-arm"),
    ]

    public init(target: CortexMTarget = .cortexM4, optimization: ProfileOptimization = .speed) {
        self.target = target
        self.optimization = optimization
    }

    /// The first missing tool, as the error to report.
    public static func missingTool() -> ProfileError? {
        tools.first { ExecutableSearch.find($0.tool) == nil }.map { ProfileError.toolMissing(tool: $0.tool, package: $0.package) }
    }

    /// Profiles `model`, the C generated for `graph`, on the first `limit` samples of `inputs`
    /// (one array per model input, samples first; all of them when `limit` is nil).
    public func profile(
        _ model: GeneratedModel, graph: Graph, inputs: [NDArray], sources: [String]? = nil, reshape: Bool = false,
        limit: Int? = nil
    ) throws -> ProfileReport {
        if let missing = Self.missingTool() { throw missing }
        let count = min(limit ?? Int.max, inputs.map(\.sampleCount).min() ?? 0)
        guard count > 0 else { throw ProfileError.noSamples }
        let arrays = inputs.map { Self.firstSamples($0, count) }
        let clock = ContinuousClock()
        let started = clock.now
        let expected = try CompressedPrediction.predict(graph, arrays, sources: sources, reshape: reshape)
        let timeLimit = Self.emulationTimeLimit(referenceSeconds: (clock.now - started).seconds)

        let folder = try TemporaryDirectory(prefix: "topiary-profile")
        defer { folder.remove() }
        try write(model, arrays: arrays, count: count, in: folder)
        let flags = target.cpuFlags + [optimization.flag, "-std=c99", "-ffunction-sections", "-fdata-sections", "-I."]
        let compiler = CCompiler(command: ["arm-none-eabi-gcc"])
        let link = ["-T", "mps2.ld", "-nostartfiles", "--specs=rdimon.specs", "-Wl,--gc-sections"]
        let cFiles = ["driver.c", "startup.c", model.name + ".c"]
        let paths = { (name: String) in
            [
                "-DINPUT_PATH=\"\(folder.file("inputs.f32"))\"", "-DOUTPUT_PATH=\"\(folder.file(name))\"",
                "-DSAMPLES=\(count)",
            ]
        }
        try compiler.compile(flags + paths("outputs.f32") + link + cFiles + ["-o", "image.elf", "-lm"], in: folder.path)
        try compiler.compile(
            flags + paths("outputs-profiled.f32") + ["-include", "profile_hook.h"] + link + cFiles
                + ["-o", "image-profiled.elf", "-lm"], in: folder.path)
        try compiler.compile(flags + ["-c", model.name + ".c", "-o", "model.o"], in: folder.path)

        let plain = try DriverOutput(run("image.elf", in: folder, timeLimit: timeLimit))
        let profiled = try DriverOutput(run("image-profiled.elf", in: folder, timeLimit: timeLimit))
        let outputs = try Self.floats(folder.file("outputs.f32"))

        let totals = plain.samples.map { max(0, $0.ticks * Self.instructionsPerTick - plain.readInstructions) }
        let mean = totals.reduce(0, +) / max(1, totals.count)
        let layers = layerShares(profiled, graph: graph)
        let comparison = compare(outputs, expected, graph: graph, count: count)
        let image = try imageSizes(in: folder)
        return ProfileReport(
            target: target, board: target.board,
            compileCommand: (compiler.command + flags).joined(separator: " "),
            samples: count, instructions: mean, minInstructions: totals.min() ?? 0, maxInstructions: totals.max() ?? 0,
            layers: layers, entryPointInstructions: max(0, mean - layers.map(\.instructions).reduce(0, +)),
            model: try sectionSizes("model.o", in: folder), imageFlash: image.flash,
            imageRam: image.ram, comparison: comparison.rule,
            mismatchedSamples: comparison.mismatched, largestError: comparison.largest, passed: comparison.mismatched == 0)
    }

    /// The model's files, the board support, the driver and the raw float32 inputs, in `folder`.
    private func write(_ model: GeneratedModel, arrays: [NDArray], count: Int, in folder: TemporaryDirectory) throws {
        var files = model.files.map { ($0.name, $0.contents) }
        files += [
            ("startup.c", CortexMFiles.startup), ("mps2.ld", CortexMFiles.linkerScript),
            ("profile_hook.h", CortexMFiles.profileHook),
            ("driver.c", TemplateRenderer.render(CortexMFiles.profileDriverTemplate, DriverBuild.templateValues(model))),
        ]
        for (name, contents) in files {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: folder.file(name)))
        }
        var raw: [Float] = []
        for sample in 0..<count {
            for array in arrays {
                let width = array.values.count / max(1, array.sampleCount)
                raw += array.values[(sample * width)..<((sample + 1) * width)]
            }
        }
        try raw.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder.file("inputs.f32"))) }
    }

    /// Seconds one emulated run may take for work the Swift reference did in `referenceSeconds`:
    /// five minutes, plus two thousand times the reference's time (an emulated core without an
    /// FPU runs float models hundreds of times slower than the host). A run past it is stuck.
    static func emulationTimeLimit(referenceSeconds: Double) -> Double {
        300 + 2000 * referenceSeconds
    }

    /// Runs `image` under QEMU, stopped past `timeLimit` seconds, and returns what it printed.
    private func run(_ image: String, in folder: TemporaryDirectory, timeLimit: Double) throws -> String {
        let arguments = [
            "-M", target.board, "-icount", "shift=0", "-nographic", "-monitor", "none", "-serial", "none",
            "-semihosting-config", "enable=on,target=native", "-kernel", image,
        ]
        let result = try ProcessRunner.run("qemu-system-arm", arguments, in: folder.path, timeLimit: timeLimit)
        guard result.succeeded else {
            throw ProfileError.emulationFailed(
                board: target.board, status: result.status,
                output: (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.stdout
    }

    /// Mean instructions per layer: the ticks between consecutive marks, less one mark's cost.
    private func layerShares(_ output: DriverOutput, graph: Graph) -> [ProfileReport.Layer] {
        var order: [Int] = []
        var instructions: [Int: Int] = [:]
        for sample in output.samples {
            for (previous, mark) in zip(sample.marks, sample.marks.dropFirst()) where mark.node >= 0 {
                if instructions[mark.node] == nil { order.append(mark.node) }
                instructions[mark.node, default: 0] += (mark.ticks - previous.ticks) * Self.instructionsPerTick - output.markInstructions
            }
        }
        let samples = max(1, output.samples.count)
        return order.map { node in
            ProfileReport.Layer(
                name: graph.nodes[node].name, op: graph.nodes[node].op.summary,
                instructions: max(0, instructions[node, default: 0] / samples))
        }
    }

    /// Bit-for-bit equality for int8 models, the parity harness's tolerance for float ones.
    private func compare(_ outputs: [Float], _ expected: [NDArray], graph: Graph, count: Int) -> (
        rule: String, mismatched: Int, largest: Float
    ) {
        let exact = CompressedPrediction.isInt8(graph)
        let tolerance = ParityHarness.tolerance(for: graph)
        let widths = expected.map { $0.values.count / max(1, count) }
        let perSample = widths.reduce(0, +)
        var mismatched = 0
        var largest: Float = 0
        for sample in 0..<count {
            var offset = sample * perSample
            var differs = outputs.count < (sample + 1) * perSample
            for (k, width) in widths.enumerated() where !differs {
                for e in 0..<width {
                    let got = outputs[offset + e], want = expected[k].values[sample * width + e]
                    let error = abs(got - want) / max(1, abs(want))
                    largest = max(largest, error.isNaN ? .infinity : error)
                    if exact ? got.bitPattern != want.bitPattern : !(error <= tolerance) { differs = true }
                }
                offset += width
            }
            if differs { mismatched += 1 }
        }
        return (exact ? "bit-exact" : "tolerance \(tolerance)", mismatched, largest)
    }

    /// Section sizes of an object file (`arm-none-eabi-size -A`).
    private func sectionSizes(_ object: String, in folder: TemporaryDirectory) throws -> ProfileReport.Footprint {
        let result = try ProcessRunner.run("arm-none-eabi-size", ["-A", object], in: folder.path)
        var text = 0, rodata = 0, data = 0, bss = 0
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let size = Int(fields[1]) else { continue }
            if fields[0].hasPrefix(".text") {
                text += size
            } else if fields[0].hasPrefix(".rodata") {
                rodata += size
            } else if fields[0].hasPrefix(".data") {
                data += size
            } else if fields[0].hasPrefix(".bss") {
                bss += size
            }
        }
        return ProfileReport.Footprint(text: text, rodata: rodata, data: data, bss: bss)
    }

    /// Flash (text + data) and RAM (data + bss) of the whole image (`arm-none-eabi-size`, Berkeley format).
    private func imageSizes(in folder: TemporaryDirectory) throws -> (flash: Int, ram: Int) {
        let result = try ProcessRunner.run("arm-none-eabi-size", ["image.elf"], in: folder.path)
        let numbers =
            result.stdout.split(separator: "\n").dropFirst().first?.split(whereSeparator: { $0 == " " || $0 == "\t" })
            .prefix(3).compactMap { Int($0) } ?? []
        guard numbers.count == 3 else { throw ProfileError.unreadableReport(output: result.stdout + result.stderr) }
        return (numbers[0] + numbers[1], numbers[1] + numbers[2])
    }

    private static func firstSamples(_ array: NDArray, _ count: Int) -> NDArray {
        guard array.sampleCount > count else { return array }
        let width = array.values.count / array.sampleCount
        return NDArray(shape: [count] + array.sampleShape, values: Array(array.values[0..<(count * width)]), elementKind: array.elementKind)
    }

    private static func floats(_ path: String) throws -> [Float] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}

/// The lines the profiling driver prints: the cost of reading the timer, then per sample the
/// ticks of the whole call and the ticks at each mark.
struct DriverOutput {
    struct Sample {
        var ticks: Int
        var marks: [(node: Int, ticks: Int)]
    }

    /// Instructions of one timer read and of one mark, averaged over the driver's repeated runs.
    var readInstructions = 0
    var markInstructions = 0
    var samples: [Sample] = []

    init(_ text: String) throws {
        var sawOverhead = false
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.first == "overhead", words.count == 4, let runs = Int(words[1]), runs > 0,
                let reads = Int(words[2]), let marks = Int(words[3])
            {
                readInstructions = reads * EmulatedProfiler.instructionsPerTick / runs
                markInstructions = marks * EmulatedProfiler.instructionsPerTick / runs
                sawOverhead = true
            } else if words.first == "sample", words.count >= 2, let ticks = Int(words[1]) {
                let marks = words.dropFirst(2).compactMap { word -> (node: Int, ticks: Int)? in
                    let parts = word.split(separator: ":")
                    guard parts.count == 2, let node = Int(parts[0]), let ticks = Int(parts[1]) else { return nil }
                    return (node, ticks)
                }
                samples.append(Sample(ticks: ticks, marks: marks))
            }
        }
        guard sawOverhead, !samples.isEmpty else { throw ProfileError.unreadableReport(output: text) }
    }
}
