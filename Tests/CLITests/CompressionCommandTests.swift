import Foundation
import Testing
import TopiaryTestSupport

/// The compression options through the `topiary` executable: convert prints the per-layer
/// table, verify requires zero mismatches, evaluate compares float and compressed accuracy,
/// predict runs the compressed model, and bad options exit 2 with a message naming the
/// problem.
@Suite("Compression on the command line")
struct CompressionCommandTests {
    static let mlp = samplesRoot.path + "/models/mlp/model.h5"
    static let cnn = samplesRoot.path + "/models/cnn/model.h5"
    static let train = samplesRoot.path + "/data/digits_train_x.npy"
    static let testX = samplesRoot.path + "/data/digits_test_x.npy"
    static let testY = samplesRoot.path + "/data/digits_test_y.npy"

    @Test("convert --quantize int8 writes the int8 API and prints the per-layer table")
    func convertTable() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "convert", Self.mlp, "-o", folder + "/out", "--name", "digits", "--sparsity", "0.8",
                "--quantize", "int8", "--calibration", Self.train, "--calibration-samples", "200")
            #expect(run.status == 0, "\(run.stderr)")
            for column in ["Layer", "Format", "Sparsity", "Bytes", "Nonzero MACs", "Float32 bytes"] { #expect(run.stdout.contains(column)) }
            for layer in ["fc1", "fc2", "fc3", "Total"] { #expect(run.stdout.contains(layer)) }
            #expect(run.stdout.contains("float32 dense model: 26280 bytes"))
            let header = try String(contentsOfFile: folder + "/out/digits.h", encoding: .utf8)
            for name in [
                "int digits_predict_int8(const int8_t *input, int8_t *output);", "int digits_predict(const float *input, float *output);",
                "DIGITS_INPUT_SCALE", "DIGITS_INPUT_ZERO_POINT", "DIGITS_OUTPUT_SCALE", "DIGITS_OUTPUT_ZERO_POINT",
            ] {
                #expect(header.contains(name), "digits.h lacks \(name)")
            }
            // With calibration data the method defaults to OBS, and the header says so.
            #expect(header.contains("--sparsity 0.8 --prune-method obs --quantize int8"))
        }
    }

    @Test("convert --bias-correction says in its table and in a line that the int8 biases were corrected")
    func biasCorrection() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "convert", Self.mlp, "-o", folder + "/out", "--name", "digits", "--quantize", "int8", "--calibration", Self.train,
                "--calibration-samples", "200", "--bias-correction")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout.contains(
                    "Compression (--quantize int8 --calibration digits_train_x.npy --calibration-samples 200 --bias-correction)"))
            #expect(
                run.stdout.contains(
                    "bias correction: moved the int32 biases of 3 layers by the mean int8 weight rounding error on 200 calibration samples")
            )
        }
    }

    @Test("convert --weight-rounding compensated records the option in the generated header, and verify finds the C bit-exact")
    func compensatedRounding() throws {
        let options = [
            "--quantize", "int8", "--calibration", Self.train, "--calibration-samples", "200", "--weight-rounding", "compensated",
        ]
        try withScratchFolder { folder in
            let run = try topiary(arguments: ["convert", Self.mlp, "-o", folder + "/out", "--name", "digits"] + options)
            #expect(run.status == 0, "\(run.stderr)")
            let header = try String(contentsOfFile: folder + "/out/digits.h", encoding: .utf8)
            #expect(header.contains("--calibration-samples 200 --weight-rounding compensated"))
        }
        let verify = try topiary(arguments: ["verify", Self.mlp, "--input", Self.testX] + options)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("0 mismatches"), "\(verify.stdout)")
    }

    @Test("verify on an int8 model: zero mismatches on every sample, at several sparsities, methods and formats")
    func verifyInt8() throws {
        for extra in [
            ["--sparsity", "0.5"], ["--sparsity", "0.9", "--prune-method", "magnitude", "--format", "csr"], ["--pattern", "2:4"],
        ] {
            let run = try topiary(
                arguments: [
                    "verify", Self.cnn, "--input", Self.testX, "--reshape", "--quantize", "int8",
                    "--calibration", Self.train, "--calibration-samples", "100",
                ] + extra)
            #expect(run.status == 0, "\(extra): \(run.stderr)\(run.stdout)")
            #expect(run.stdout.contains("0 mismatches"))
            #expect(run.stdout.contains("compared 360 samples"))
        }
    }

    @Test("evaluate reports float and compressed accuracy")
    func evaluate() throws {
        let run = try topiary(
            "evaluate", Self.mlp, "--input", Self.testX, "--labels", Self.testY, "--sparsity", "0.5",
            "--reconstruct", "--quantize", "int8", "--calibration", Self.train, "--calibration-samples", "200")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("float:      top-1 accuracy 97.5% (351/360)"))
        #expect(run.stdout.contains("compressed: top-1 accuracy"))
        #expect(run.stdout.contains("change:"))
    }

    @Test("predict runs the compressed model")
    func predict() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "predict", Self.mlp, "--input", Self.testX, "--quantize", "int8", "--calibration", Self.train,
                "--output", folder + "/y.npy")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: folder + "/y.npy"))
        }
    }

    @Test("structured pruning: convert of the smaller dense model, with the skipped layer named")
    func pruneChannels() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", Self.mlp, "-o", folder + "/out", "--prune-channels", "0.25")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("removed 16 channel(s) of 'fc1'"))
            #expect(run.stdout.contains("kept every channel of 'fc3'"))
        }
    }

    @Test("pruning: the units no later layer reads are removed, said in the text and in the JSON report")
    func unreadUnits() throws {
        try withScratchFolder { folder in
            let options = ["--quantize", "int8", "--calibration", Self.train, "--sparsity", "0.9"]
            let text = try topiary(arguments: ["convert", Self.mlp, "-o", folder + "/text"] + options)
            #expect(text.status == 0, "\(text.stderr)")
            let json = try topiary(arguments: ["convert", Self.mlp, "-o", folder + "/json", "--json"] + options)
            #expect(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let unread = try #require(object["unread_channels"] as? [String: Int])
            #expect(!unread.isEmpty)
            for (layer, count) in unread {
                #expect(text.stdout.contains("removed \(count) channel(s) of '\(layer)' that no later layer reads after pruning"))
            }
        }
    }

    @Test(
        "bad options exit 2 and say what is wrong",
        arguments: [
            (["--sparsity", "fc9=0.5"], "fc9"),
            (["--sparsity", "1.5"], "fraction"),
            (["--pattern", "4:2"], "N:M"),
            (["--quantize", "int8"], "--calibration"),
            (["--sparsity", "0.5", "--pattern", "2:4"], "either"),
            (["--prune-channels", "conv_x=0.5"], "conv_x"),
            (["--bias-correction"], "--bias-correction adjusts int8 biases: add --quantize int8 --calibration X.npy"),
            (
                ["--weight-rounding", "compensated"],
                "--weight-rounding compensated rounds int8 weights: add --quantize int8 --calibration X.npy"
            ),
        ])
    func badOptions(_ extra: [String], _ expected: String) throws {
        let run = try topiary(arguments: ["evaluate", Self.mlp, "--input", Self.testX, "--labels", Self.testY] + extra)
        // Names that only the model can refute fail when the model is read (status 1); options
        // that are wrong in themselves are usage errors (status 2).
        let modelError = extra == ["--sparsity", "fc9=0.5"] || extra.first == "--prune-channels"
        #expect(run.status == (modelError ? 1 : 2), "\(extra): \(run.status) \(run.stderr)")
        #expect(run.stderr.contains(expected), "\(extra): \(run.stderr)")
    }
}
