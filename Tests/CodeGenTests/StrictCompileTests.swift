import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Generated models build clean under the strictest flags with every compiler the firmware
/// world uses; a missing compiler is recorded as a skip, not a pass.
@Suite("Strict compiles")
struct StrictCompileTests {
    static let models =
        ["mlp", "cnn", "dscnn", "gru", "lstm", "multi_io", "residual"].map(SampleFolder.model)
        + [
            "zoo/prelu_image_shared_axes", "zoo/permute_3d", "zoo/upsampling2d", "zoo/embedding_flatten", "zoo/normalization",
            "zoo/concatenate_axis1", "zoo/separable_conv2d", "zoo/gru_reset_after_false", "zoo/softmax_axis1",
            "zoo/autoencoder", "zoo/conv1d_transpose_same", "zoo/layer_norm_axes", "zoo/group_norm_conv",
            "zoo/bidirectional_lstm_sequences_concat", "zoo/time_distributed_conv2d", "zoo/nested_shared",
        ]
        .map { SampleFolder(name: $0, path: repositoryRoot.appendingPathComponent("samples/" + $0).path) }

    /// Writes the model's C (and the kernel headers) and compiles `NAME.c` with `compiler`.
    func compile(_ sample: SampleFolder, with compiler: [String], flags: [String]) throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try sample.importGraph())
        try withScratchFolder { folder in
            try write(model, to: folder)
            try CCompiler(command: compiler).compile(flags + ["-c", "net.c", "-o", "net.o"], in: folder)
            #expect(FileManager.default.fileExists(atPath: folder + "/net.o"))
        }
    }

    @Test("gcc -std=c99 -Wall -Wextra -Wpedantic -Werror", .enabled(if: installed("gcc"), "gcc is not installed"), arguments: models)
    func gcc(_ sample: SampleFolder) throws {
        try compile(sample, with: ["gcc"], flags: CCompiler.strictFlags + ["-O2"])
    }

    @Test("clang -std=c99 -Wall -Wextra -Wpedantic -Werror", .enabled(if: installed("clang"), "clang is not installed"), arguments: models)
    func clang(_ sample: SampleFolder) throws {
        try compile(sample, with: ["clang"], flags: CCompiler.strictFlags + ["-O2"])
    }

    @Test(
        "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -Werror",
        .enabled(if: installed("arm-none-eabi-gcc"), "arm-none-eabi-gcc is not installed"), arguments: models)
    func cortexM4(_ sample: SampleFolder) throws {
        try compile(sample, with: ["arm-none-eabi-gcc"], flags: CCompiler.strictFlags + ["-mcpu=cortex-m4", "-mthumb", "-Os"])
    }

    @Test("every kernel header compiles on its own, included twice", arguments: EmbeddedHeaders.onDisk)
    func header(_ name: String) throws {
        try withScratchFolder { folder in
            let include = repositoryRoot.appendingPathComponent("include/topiary").path
            try "#include \"\(name)\"\n#include \"\(name)\"\nint main(void) { return 0; }\n".write(
                toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(CCompiler.strictFlags + ["-I", include, "-c", "main.c", "-o", "main.o"], in: folder)
        }
    }

    @Test("the public header can be included from C++", .enabled(if: installed("g++"), "g++ is not installed"))
    func publicHeaderFromCPlusPlus() throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try SampleFolder.model("multi_io").importGraph())
        try withScratchFolder { folder in
            try write(model, to: folder)
            try
                "#include \"net.h\"\nint main() { const float *in[NET_INPUT_COUNT] = {}; float *out[NET_OUTPUT_COUNT] = {}; return net_predict_multi(in, out) == 2 ? 0 : 1; }\n"
                .write(toFile: folder + "/main.cpp", atomically: false, encoding: .utf8)
            try CCompiler(command: ["g++"]).compile(
                ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-c", "main.cpp", "-o", "main.o"], in: folder)
        }
    }

    @Test(
        "generated code calls nothing but libm and the compiler's memory helpers: no malloc, no stdio",
        .enabled(if: installed("gcc") && installed("nm"), "gcc or nm is not installed"), arguments: models)
    func onlyLibm(_ sample: SampleFolder) throws {
        let allowed: Set<String> = ["expf", "expm1f", "log1pf", "logf", "tanhf", "erff", "fabsf", "sqrtf", "memcpy", "memset", "memmove"]
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try sample.importGraph())
        try withScratchFolder { folder in
            try write(model, to: folder)
            for optimisation in ["-O0", "-O2", "-Os"] {
                try CCompiler(command: ["gcc"]).compile(CCompiler.strictFlags + [optimisation, "-c", "net.c", "-o", "net.o"], in: folder)
                let undefined = try ProcessRunner.run("nm", ["-u", "net.o"], in: folder).stdout
                    .split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
                #expect(Set(undefined).isSubset(of: allowed), "\(optimisation): \(undefined)")
            }
        }
    }

    @Test("convert reports flash and RAM, measured with arm-none-eabi-size when installed")
    func footprint() throws {
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try SampleFolder.model("mlp").importGraph())
        let footprint = Footprint.of(model)
        switch footprint.method {
        case .measured:
            #expect(footprint.bss == model.arenaBytes)
            #expect(footprint.rodata >= model.weightBytes)
            #expect((footprint.text ?? 0) > 0)
        case let .computed(reason):
            #expect(!installed("arm-none-eabi-gcc"), "measurement failed: \(reason)")
            #expect(footprint.rodata == model.weightBytes && footprint.bss == model.arenaBytes)
        }
    }

    @Test("a C source over the automatic limit is not compiled for a measurement unless asked to")
    func footprintOfAVeryLargeModelIsComputed() throws {
        var model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(try Samples.graph("mlp"))
        let index = try #require(model.files.firstIndex { $0.name == "net.c" })
        model.files[index].contents += "/* " + String(repeating: "x", count: SizeMeasurement.autoLimitBytes) + " */\n"
        let footprint = Footprint.of(model, measure: .auto)
        #expect(footprint.method == .computed(reason: "the C is 4 MiB, too large to compile for a measurement unless asked to"))
        #expect(footprint.rodata == model.weightBytes && footprint.bss == model.arenaBytes)
        #expect(Footprint.of(model, measure: .never).method == .computed(reason: "measurement not asked for"))
    }
}
