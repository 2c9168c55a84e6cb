import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// `convert --target` and `--package`: the measurement follows the named core, and each
/// package holds what its build system requires; the CMake one builds and runs.
@Suite("convert --target and --package")
struct TargetPackageCommandTests {
    let mlp = repositoryRoot.appendingPathComponent("samples/models/mlp/model.h5").path
    let input = repositoryRoot.appendingPathComponent("samples/models/mlp/input.npy").path

    @Test(
        "convert --target measures for that core and records it in the header",
        .enabled(if: installed("arm-none-eabi-gcc") && installed("arm-none-eabi-size"), "the ARM toolchain is not installed"))
    func convertForATarget() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", mlp, "-o", folder + "/out", "--name", "digits", "--target", "cortex-m0plus")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout.contains(
                    "measured with arm-none-eabi-size on `arm-none-eabi-gcc -std=c99 -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft -Os -c digits.c`"
                ), "\(run.stdout)")
            let header = try String(contentsOfFile: folder + "/out/digits.h", encoding: .utf8)
            #expect(header.contains(" * Target: cortex-m0plus (arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft)\n"))
        }
    }

    @Test("an unknown core is refused with the list of cores")
    func unknownTarget() throws {
        let run = try topiary("convert", mlp, "-o", "/nonexistent/out", "--target", "cortex-m99")
        #expect(run.status != 0)
        #expect(
            run.stderr.contains("cortex-m99") && run.stderr.contains("cortex-m0plus") && run.stderr.contains("cortex-m55"), "\(run.stderr)")
    }

    @Test(
        "profile refuses a core QEMU has no board for, naming the cores it runs",
        .enabled(if: EmulatedProfiler.missingTool() == nil, "needs arm-none-eabi-gcc and qemu-system-arm"))
    func profileUnsupportedCore() throws {
        let run = try topiary("profile", mlp, "--input", input, "--target", "cortex-m33")
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "error: cortex-m33 cannot be profiled: QEMU has no board for it with the memory map the profiling image uses; "
                + "profiling runs on cortex-m0plus, cortex-m3, cortex-m4, cortex-m4f, cortex-m7\n")
    }

    @Test(
        "the CMake package configures and builds from a clean folder, links into a program and gives predict's outputs",
        .enabled(if: installed("cmake"), "cmake is not installed (Debian: apt-get install cmake)"))
    func cmakePackageBuilds() throws {
        try withScratchFolder { folder in
            let convert = try topiary("convert", mlp, "-o", folder + "/digits", "--name", "digits", "--package", "cmake")
            #expect(convert.status == 0, "\(convert.stderr)")
            #expect(convert.stdout.contains("packaged for cmake: \(folder)/digits/CMakeLists.txt"))
            let predict = try topiary("predict", mlp, "--input", input, "--output", folder + "/expected.npy")
            #expect(predict.status == 0, "\(predict.stderr)")
            let expected = try NpyFile.read(path: folder + "/expected.npy")
            let inputs = try NpyFile.read(path: input)
            let first = Array(inputs.values.prefix(64))
            try first.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: URL(fileURLWithPath: folder + "/sample.f32"))

            try FileManager.default.createDirectory(atPath: folder + "/app", withIntermediateDirectories: false)
            try """
            cmake_minimum_required(VERSION 3.13)
            project(app C)
            add_subdirectory(../digits digits)
            add_executable(app main.c)
            target_link_libraries(app PRIVATE digits)

            """.write(toFile: folder + "/app/CMakeLists.txt", atomically: false, encoding: .utf8)
            try """
            #include <stdio.h>
            #include "digits.h"
            int main(int argc, char **argv)
            {
                float input[DIGITS_INPUT_SIZE], output[DIGITS_OUTPUT_SIZE];
                int k;
                FILE *file = argc > 1 ? fopen(argv[1], "rb") : NULL;
                if (file == NULL || fread(input, sizeof input, 1, file) != 1) {
                    return 2;
                }
                fclose(file);
                if (digits_predict(input, output) != 0) {
                    return 1;
                }
                for (k = 0; k < DIGITS_OUTPUT_SIZE; ++k) {
                    printf("%.9g\\n", output[k]);
                }
                return 0;
            }

            """.write(toFile: folder + "/app/main.c", atomically: false, encoding: .utf8)
            // ProcessRunner starts cmake with the default signal mask: cmake waits for its own
            // children through SIGCHLD, which the test runner's threads block.
            for arguments in [["-S", folder + "/app", "-B", folder + "/build"], ["--build", folder + "/build"]] {
                let result = try ProcessRunner.run("cmake", arguments, timeLimit: 300)
                try #require(result.succeeded, "cmake \(arguments): \(result.stdout)\(result.stderr)")
            }
            let run = try CProgram.execute(folder + "/build/app", [folder + "/sample.f32"])
            #expect(run.status == 0, "\(run.stderr)")
            let outputs = run.stdout.split(separator: "\n").compactMap { Float($0) }
            let reference = Array(expected.values.prefix(10))
            #expect(outputs.count == 10)
            for (c, swift) in zip(outputs, reference) {
                #expect(abs(c - swift) <= 1e-5 * max(1, abs(swift)), "C \(c), predict \(swift)")
            }
        }
    }

    @Test("a model named like a CMake target is refused, naming the model")
    func cmakeReservedName() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", mlp, "-o", folder + "/out", "--name", "test", "--package", "cmake")
            #expect(run.status == 1)
            #expect(
                run.stderr
                    == "error: cannot package the model 'test': CMake keeps the target name 'test' for itself; give the model another name\n"
            )
            #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        }
    }

    /// `key=value` lines of a properties file, comments left out.
    func properties(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    @Test("the Arduino library has every required library.properties field and its C under src/, which compiles")
    func arduinoLayout() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", mlp, "-o", folder + "/digits", "--name", "digits", "--package", "arduino")
            #expect(run.status == 0, "\(run.stderr)")
            let root = try FileManager.default.contentsOfDirectory(atPath: folder + "/digits").sorted()
            #expect(root == ["library.properties", "src"])
            let sources = try FileManager.default.contentsOfDirectory(atPath: folder + "/digits/src").sorted()
            #expect(sources == ["digits.c", "digits.h", "topiary.h", "tp_activation_f32.h", "tp_dense_f32.h", "tp_matmul_f32.h"])
            let fields = properties(try String(contentsOfFile: folder + "/digits/library.properties", encoding: .utf8))
            for key in ["name", "version", "author", "maintainer", "sentence", "paragraph", "category", "url", "architectures"] {
                #expect(!(fields[key] ?? "").isEmpty, "library.properties lacks \(key)")
            }
            #expect(fields["name"] == "digits" && fields["includes"] == "digits.h" && fields["architectures"] == "*")
            #expect(fields["version"]?.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
            // One of the categories the Arduino specification lists.
            #expect(fields["category"] == "Data Processing")
            try CCompiler.host().compile(CCompiler.strictFlags + ["-c", "digits.c", "-o", "digits.o"], in: folder + "/digits/src")

            // Converting again into the same folder replaces the files in place.
            let again = try topiary("convert", mlp, "-o", folder + "/digits", "--name", "digits", "--package", "arduino")
            #expect(again.status == 0, "\(again.stderr)")
        }
    }

    @Test("an Arduino package is refused where a file stands in place of src/, and the folder is left as it was")
    func arduinoOverAFile() throws {
        try withScratchFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: false)
            try "not a folder".write(toFile: folder + "/out/src", atomically: false, encoding: .utf8)
            let run = try topiary("convert", mlp, "-o", folder + "/out", "--name", "digits", "--package", "arduino")
            #expect(run.status == 1)
            #expect(
                run.stderr.contains("\(folder)/out/src") && run.stderr.contains("a file stands where this folder goes"), "\(run.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out") == ["src"])
        }
    }

    @Test("the PlatformIO library.json names the library, its version and its header, with the sources beside it")
    func platformIOManifest() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", mlp, "-o", folder + "/digits", "--name", "digits", "--package", "platformio")
            #expect(run.status == 0, "\(run.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/digits/library.json"))
            let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(manifest["name"] as? String == "digits")
            #expect((manifest["version"] as? String)?.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
            #expect(manifest["headers"] as? String == "digits.h")
            let build = try #require(manifest["build"] as? [String: String])
            #expect(build == ["srcDir": ".", "includeDir": "."])
            #expect(FileManager.default.fileExists(atPath: folder + "/digits/digits.c"))
        }
    }

    @Test("the Zephyr module's module.yml points at the CMakeLists.txt and Kconfig it ships")
    func zephyrModule() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", mlp, "-o", folder + "/digits", "--name", "digits", "--package", "zephyr")
            #expect(run.status == 0, "\(run.stderr)")
            let module = try String(contentsOfFile: folder + "/digits/zephyr/module.yml", encoding: .utf8)
            let lines = module.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
            #expect(lines == ["name: digits", "build:", "  cmake: .", "  kconfig: Kconfig"])
            let lists = try String(contentsOfFile: folder + "/digits/CMakeLists.txt", encoding: .utf8)
            #expect(lists.contains("if(CONFIG_TOPIARY_DIGITS)\n  zephyr_library()\n  zephyr_library_sources(digits.c)\n"))
            let kconfig = try String(contentsOfFile: folder + "/digits/Kconfig", encoding: .utf8)
            #expect(kconfig.contains("\nconfig TOPIARY_DIGITS\n\tbool \"Model digits (Topiary)\"\n"))
        }
    }
}
