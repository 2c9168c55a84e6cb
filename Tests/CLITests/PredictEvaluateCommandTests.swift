import Foundation
import Testing
import TopiaryTestSupport

/// `topiary predict` and `topiary evaluate` end to end on the sample models.
@Suite struct PredictEvaluateCommandTests {
    func sample(_ path: String) -> String { samplesRoot.appendingPathComponent(path).path }

    @Test func evaluatePrintsTheAccuracyKerasMeasured() throws {
        let run = try topiary(
            "evaluate", sample("models/mlp/model.h5"), "--input", sample("models/mlp/input.npy"),
            "--labels", sample("models/mlp/labels.npy"))
        #expect(run.status == 0)
        #expect(run.stdout == "top-1 accuracy 97.5% (351/360)\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func evaluateAWeightsOnlyModelWithItsConfig() throws {
        let run = try topiary(
            "evaluate", sample("models/mlp_weights/model.weights.h5"), "--config", sample("models/mlp_weights/model.json"),
            "--input", sample("models/mlp_weights/input.npy"), "--labels", sample("models/mlp_weights/labels.npy"))
        #expect(run.status == 0)
        #expect(run.stdout.contains("(351/360)"))
    }

    @Test func aShapeMismatchIsOneMessageAndExitOne() throws {
        // The CNN wants [8, 8, 1] per sample; the flat digits have [64].
        let flat = sample("data/digits_test_x.npy")
        let run = try topiary("evaluate", sample("models/cnn/model.h5"), "--input", flat, "--labels", sample("data/digits_test_y.npy"))
        #expect(run.status == 1)
        #expect(run.stderr.contains("model input 'image' expects [8, 8, 1] per sample; \(flat) has samples of shape [64]"))
        #expect(run.stderr.contains("--reshape"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)

        let reshaped = try topiary(
            "evaluate", sample("models/cnn/model.h5"), "--input", flat, "--labels", sample("data/digits_test_y.npy"),
            "--reshape")
        #expect(reshaped.status == 0)
        #expect(reshaped.stdout.contains("top-1 accuracy"))
    }

    @Test func predictWritesFloat32Outputs() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "predict", sample("models/mlp/model.h5"), "--input", sample("models/mlp/input.npy"),
                "--output", folder + "/y.npy")
            #expect(run.status == 0)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/y.npy"))
            let header = String(decoding: bytes.prefix(128), as: UTF8.self)
            #expect(header.contains("'descr': '<f4'"))
            #expect(header.contains("'shape': (360, 10)"))
            #expect(bytes.count == 128 + 360 * 10 * 4)
        }
    }

    @Test func predictWritesOneFilePerOutputOfAMultiOutputModel() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "predict", sample("models/multi_io/model.h5"), "--input", sample("models/multi_io/input_0.npy"),
                "--input", sample("models/multi_io/input_1.npy"), "--output", folder + "/y.npy")
            #expect(run.status == 0)
            #expect(FileManager.default.fileExists(atPath: folder + "/y_0.npy"))
            #expect(FileManager.default.fileExists(atPath: folder + "/y_1.npy"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/y.npy"))
        }

        let missing = try topiary("predict", sample("models/multi_io/model.h5"), "--input", sample("models/multi_io/input_0.npy"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("takes 2 input(s) (img, aux)"))
    }

    @Test func predictWithoutOutputPrintsArgmaxAndScores() throws {
        let run = try topiary("predict", sample("models/mlp/model.h5"), "--input", sample("models/mlp/input.npy"))
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 360)
        #expect(lines[0].hasPrefix("0: argmax "))
        #expect(lines[0].contains("scores ["))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try topiary("predict", sample("models/mlp/model.h5")).status == 2)
        #expect(try topiary("evaluate", sample("models/mlp/model.h5"), "--input", sample("models/mlp/input.npy")).status == 2)
    }

    @Test func aMissingDataFileNamesIt() throws {
        let run = try topiary("predict", sample("models/mlp/model.h5"), "--input", "/nonexistent/x.npy")
        #expect(run.status == 1)
        #expect(run.stderr == "error: /nonexistent/x.npy: no such file; give a .npy file or an HDF5 dataset as file.h5:dataset\n")
    }
}
