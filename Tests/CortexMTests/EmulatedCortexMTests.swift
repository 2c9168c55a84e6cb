import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// True when the ARM cross compiler and QEMU are installed (.ci/run installs both).
let emulatorAvailable: Bool = ["arm-none-eabi-gcc", "qemu-system-arm", "make"].allSatisfy(installed)

extension Trait where Self == ConditionTrait {
    /// Runs a suite or test only where `emulatorAvailable`, and says why it was skipped elsewhere.
    static var needsEmulator: Self { .enabled(if: emulatorAvailable, "needs arm-none-eabi-gcc and qemu-system-arm") }
}

/// Generated models built into a bare-metal Cortex-M4 image (samples/cortex-m) and run under
/// QEMU: the emulated core's outputs must equal Topiary's Swift reference.
@Suite(.needsEmulator)
struct EmulatedCortexMTests {
    /// Runs `make -C samples/cortex-m run` in a fresh build folder, compiled for `cpuFlags`
    /// (the Makefile's Cortex-M4 when nil); returns each printed sample's outputs decoded from
    /// their float32 bit patterns.
    func runOnEmulator(model: String, convertFlags: String = "", cpuFlags: String? = nil) throws -> [[Float]] {
        let stdout = try withScratchFolder { scratch in
            let make = try ProcessRunner.run(
                "make",
                [
                    "-s", "-C", repositoryRoot.appendingPathComponent("samples/cortex-m").path, "run",
                    "MODEL=\(repositoryRoot.appendingPathComponent(model).path)", "BUILD=\(scratch)/build",
                    "TOPIARY=\(topiaryExecutable.path)", "CONVERT_FLAGS=\(convertFlags)",
                ] + (cpuFlags.map { ["CPU_FLAGS=\($0)"] } ?? []))
            try #require(make.succeeded, "make run failed: \(make.stderr)\(make.stdout.suffix(2000))")
            return make.stdout
        }
        // Only the program's lines are all hexadecimal words; make and size print the rest.
        return stdout.split(separator: "\n").compactMap { line -> [Float]? in
            let words = line.split(separator: " ")
            guard !words.isEmpty, words.allSatisfy({ $0.count == 8 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
            return words.map { Float(bitPattern: UInt32($0, radix: 16)!) }
        }
    }

    /// The Swift reference's outputs through `topiary predict` with the same conversion options.
    func predicted(model: String, options: [String]) throws -> [[Float]] {
        let folder = repositoryRoot.appendingPathComponent(model).deletingLastPathComponent()
        let outputs = try withScratchFolder { scratch in
            let run = try topiary(
                arguments: [
                    "predict", repositoryRoot.appendingPathComponent(model).path,
                    "--input", folder.appendingPathComponent("input.npy").path, "--output", scratch + "/outputs.npy",
                ] + options)
            try #require(run.status == 0, "\(run.stderr)")
            return try ArrayFile.load(scratch + "/outputs.npy")
        }
        let width = outputs.values.count / outputs.sampleCount
        return (0..<outputs.sampleCount).map { Array(outputs.values[($0 * width)..<(($0 + 1) * width)]) }
    }

    func reference(model: String) throws -> [[Float]] {
        let graph = try KerasImporter().importGraph(modelPath: repositoryRoot.appendingPathComponent(model).path)
        let input = try ArrayFile.load(
            repositoryRoot.appendingPathComponent(model).deletingLastPathComponent().appendingPathComponent("input.npy").path)
        let outputs = try FloatInference(graph: graph).predict([input])[0]
        let width = outputs.values.count / outputs.sampleCount
        return (0..<outputs.sampleCount).map { Array(outputs.values[($0 * width)..<(($0 + 1) * width)]) }
    }

    @Test(arguments: ["samples/models/cnn/model.h5", "samples/models/gru/model.h5"])
    func floatModelMatchesTheReferenceWithinTolerance(_ model: String) throws {
        let emulated = try runOnEmulator(model: model)
        let expected = try reference(model: model)
        try #require(emulated.count == expected.count)
        let tolerance: Float = model.contains("gru") ? 1e-4 : 1e-5
        var worst: Float = 0
        for (got, want) in zip(emulated, expected) {
            #expect(got.count == want.count)
            for (g, w) in zip(got, want) { worst = max(worst, abs(g - w) / max(1, abs(w))) }
        }
        #expect(worst <= tolerance, "worst relative error \(worst)")
    }

    @Test func int8SparseModelIsBitExactWithTheIntegerReference() throws {
        let model = "samples/models/mlp/model.h5"
        let options = [
            "--quantize", "int8", "--sparsity", "0.8",
            "--calibration", repositoryRoot.appendingPathComponent("samples/data/digits_train_x.npy").path,
        ]
        let emulated = try runOnEmulator(model: model, convertFlags: options.joined(separator: " "))
        let expected = try predicted(model: model, options: options)
        try #require(emulated.count == expected.count && !emulated.isEmpty)
        let mismatches = zip(emulated, expected).filter { got, want in got.map(\.bitPattern) != want.map(\.bitPattern) }.count
        #expect(mismatches == 0, "\(mismatches) of \(expected.count) samples differ")
    }

    /// The two bodies of the int8 kernels: the Cortex-M4 build compiles the DSP extension's
    /// (`__smlad`, `__sxtb16`), the Cortex-M0+ build (Armv6-M, which the M4 board runs
    /// unchanged) the portable C.
    static let cores = ["-mcpu=cortex-m4 -mthumb -mfloat-abi=soft", "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft"]

    /// Dense weights through the blocked Dense kernel (the digits MLP: blocks of four units and
    /// a remainder; a Dense over 7 inputs of rank-3 data: the inputs after the last group of
    /// four), the one-group and depthwise convolution loops (the DS-CNN's pointwise, full and
    /// depthwise layers), and the depthwise kernel's other cases (a channel remainder, stride 2
    /// 'valid', a dilated kx1 filter over the padding, an even number of taps).
    @Test(
        arguments: [
            "samples/models/mlp/model.h5", "samples/zoo/dense_3d/model.h5", "samples/models/dscnn/model.keras",
            "samples/zoo/depthwise_conv2d_int8_cases/model.h5",
        ], cores)
    func int8DenseKernelsAreBitExactWithAndWithoutTheDSPExtension(_ model: String, core: String) throws {
        let calibration =
            model.contains("mlp")
            ? repositoryRoot.appendingPathComponent("samples/data/digits_train_x.npy")
            : repositoryRoot.appendingPathComponent(model).deletingLastPathComponent().appendingPathComponent("input.npy")
        let options = ["--quantize", "int8", "--format", "dense", "--calibration", calibration.path]
        let emulated = try runOnEmulator(model: model, convertFlags: options.joined(separator: " "), cpuFlags: core)
        let expected = try predicted(model: model, options: options)
        try #require(emulated.count == expected.count && !emulated.isEmpty)
        let mismatches = zip(emulated, expected).filter { got, want in got.map(\.bitPattern) != want.map(\.bitPattern) }.count
        #expect(mismatches == 0, "\(mismatches) of \(expected.count) samples differ on \(core)")
    }
}
