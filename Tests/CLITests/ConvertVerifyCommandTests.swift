import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("convert and verify commands")
struct ConvertVerifyCommandTests {
    /// Runs `topiary convert` on the sample `sample` without options, naming the model `name`,
    /// into a scratch folder's `out`, expects it to succeed and hands `check` the run and that
    /// folder.
    private func convertSample(_ sample: String, name: String, check: (Run, String) throws -> Void) throws {
        let model = try SampleFolder.model(sample).modelPath
        try withScratchFolder { folder in
            let run = try topiary("convert", model, "-o", folder + "/out", "--name", name)
            #expect(run.status == 0, "\(run.stderr)")
            try check(run, folder + "/out")
        }
    }

    @Test("convert writes the model, its kernels and the flash/RAM figures")
    func convert() throws {
        try convertSample("mlp", name: "digits") { run, out in
            let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            #expect(names == ["digits.c", "digits.h", "topiary.h", "tp_activation_f32.h", "tp_dense_f32.h", "tp_matmul_f32.h"])
            #expect(run.stdout.contains("flash:") && run.stdout.contains("RAM:"))
            #expect(run.stdout.contains(installed("arm-none-eabi-size") ? "measured with arm-none-eabi-size" : "computed, not measured"))
            let header = try String(contentsOfFile: out + "/digits.h", encoding: .utf8)
            for text in [
                "int digits_predict(const float *input, float *output);", "#define DIGITS_INPUT_SIZE", "#define DIGITS_OUTPUT_SIZE",
                "#define DIGITS_ARENA_BYTES",
            ] {
                #expect(header.contains(text))
            }
        }
    }

    @Test("convert without options folds cnn's bn1 into conv1 and fuses relu1 into it: no pass of their own in the C")
    func uncompressedConversionFoldsAndFuses() throws {
        try convertSample("cnn", name: "cnn") { _, out in
            let source = try String(contentsOfFile: out + "/cnn.c", encoding: .utf8)
            #expect(source.contains("/* conv1 (Conv2D): conv2d 3x3 same + relu, [8, 8, 1] -> [8, 8, 16] */"))
            #expect(!source.contains("bn1 (BatchNormalization)") && !source.contains("relu1 (ReLU)"))
            // bn2 follows a ReLU that conv2 already applies: it stays.
            #expect(source.contains("bn2 (BatchNormalization)"))
        }
    }

    @Test("the folder alone builds: the sample's classifier links against it")
    func folderBuilds() throws {
        let model = try SampleFolder.model("mlp").modelPath
        try withScratchFolder { folder in
            #expect(try topiary("convert", model, "-o", folder, "--name", "digits").status == 0)
            let program = """
                #include <stdio.h>
                #include "digits.h"
                int main(void)
                {
                    float input[DIGITS_INPUT_SIZE] = { 0 };
                    float output[DIGITS_OUTPUT_SIZE];
                    float sum = 0.0f;
                    int i;
                    if (digits_predict(input, output) != 0) return 1;
                    for (i = 0; i < DIGITS_OUTPUT_SIZE; ++i) sum += output[i];
                    printf("%.3f\\n", sum);
                    return 0;
                }
                """
            try program.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(CCompiler.strictFlags + ["digits.c", "main.c", "-o", "main", "-lm"], in: folder)
            #expect(try ProcessRunner.run(folder + "/main", []).stdout == "1.000\n")
        }
    }

    @Test("a --name that is not a C identifier is a usage error", arguments: ["9lives", "int", "my-model"])
    func badName(_ name: String) throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", try SampleFolder.model("mlp").modelPath, "-o", folder + "/out", "--name", name)
            #expect(run.status == 2)
            #expect(run.stderr.contains("is not a C identifier"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        }
    }

    @Test("a model that cannot be read exits 1 and writes nothing")
    func badModel() throws {
        try withScratchFolder { folder in
            try "not a model".write(toFile: folder + "/bad.h5", atomically: false, encoding: .utf8)
            let run = try topiary("convert", folder + "/bad.h5", "-o", folder + "/out")
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error:"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["bad.h5"])
        }
    }

    @Test("verify passes on a sample and prints the largest error")
    func verify() throws {
        let sample = SampleFolder.model("cnn")
        let run = try topiary("verify", try sample.modelPath, "--input", sample.path + "/input.npy")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("max |error|:"))
        #expect(run.stdout.contains("PASS"))
    }

    @Test("verify with a weights-only model and its config, and with --sanitize")
    func verifyConfigSanitize() throws {
        let sample = SampleFolder.model("mlp_weights")
        let run = try topiary(
            "verify", try sample.modelPath, "--config", try #require(try sample.configPath),
            "--input", sample.path + "/input.npy", "--sanitize")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("-fsanitize=address,undefined"))
    }

    @Test("verify with a compiler that does not exist exits 1 and says so")
    func missingCompiler() throws {
        let sample = SampleFolder.model("mlp")
        var environment = ProcessInfo.processInfo.environment
        environment["CC"] = "no-such-cc"
        let run = try topiary("verify", try sample.modelPath, "--input", sample.path + "/input.npy", environment: environment)
        #expect(run.status == 1)
        #expect(run.stderr.contains("'no-such-cc' was not found"))
    }

    @Test("verify leaves no temporary folder behind, whether it passes or fails")
    func cleansUp() throws {
        let sample = SampleFolder.model("mlp")
        try withScratchFolder { temporary in
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporary
            let passing = try topiary("verify", try sample.modelPath, "--input", sample.path + "/input.npy", environment: environment)
            #expect(passing.status == 0)
            environment["CC"] = "false"
            let failing = try topiary("verify", try sample.modelPath, "--input", sample.path + "/input.npy", environment: environment)
            #expect(failing.status == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }
}
