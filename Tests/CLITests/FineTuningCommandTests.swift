import Foundation
import Testing
import TopiaryTestSupport

/// `--finetune` and its options on the command line.
@Suite struct FineTuningCommandTests {
    typealias CLI = CompressionCommandTests

    @Test("convert --finetune prints what fine-tuning did and records the flags in the header")
    func convert() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "convert", CLI.cnn, "-o", folder + "/out", "--name", "digits",
                "--sparsity", "0.8", "--prune-scope", "global", "--quantize", "int8",
                "--calibration", CLI.train, "--calibration-samples", "100",
                "--finetune", "--finetune-data", CLI.testX,
                "--finetune-labels", CLI.testY, "--finetune-epochs", "1", "--finetune-block-weight", "0.5")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("fine-tuned 1 epoch on 360 samples: distillation loss "))
            let header = try String(contentsOfFile: folder + "/out/digits.h", encoding: .utf8)
            #expect(
                header.contains(
                    "--finetune --finetune-data digits_test_x.npy --finetune-labels digits_test_y.npy --finetune-epochs 1 --finetune-block-weight 0.5"
                ))
        }
    }

    @Test(
        "fine-tuning options are refused when they cannot apply",
        arguments: [
            (
                ["--finetune-epochs", "3"],
                "--finetune-data, --finetune-labels, --finetune-epochs, --finetune-rate, --finetune-block-weight and --finetune-score-weight set up fine-tuning: add --finetune"
            ),
            (
                ["--finetune-block-weight", "1"],
                "--finetune-data, --finetune-labels, --finetune-epochs, --finetune-rate, --finetune-block-weight and --finetune-score-weight set up fine-tuning: add --finetune"
            ),
            (["--finetune", "--finetune-block-weight=-1"], "--finetune-block-weight must be 0 or more, e.g. 1"),
            (["--finetune", "--finetune-score-weight=-1"], "--finetune-score-weight must be 0 or more, e.g. 1000"),
            (
                ["--finetune", "--sparsity", "0.5", "--calibration", CLI.train, "--finetune-score-weight", "100"],
                "anomaly-score matching needs an autoencoder: one input and one output with as many values, the output reconstructing the input"
            ),
            (["--finetune", "--finetune-epochs", "0"], "--finetune-epochs must be 1 or more"),
            (
                ["--finetune", "--sparsity", "0.5"],
                "--finetune trains on samples of the model's inputs: give --finetune-data X.npy or --calibration X.npy"
            ),
            (
                ["--finetune", "--sparsity", "0.5", "--finetune-data", CLI.testX, "--finetune-labels", CLI.train],
                "holds 1437 labels for 360 fine-tuning samples; give one class per sample, as integers or one-hot rows"
            ),
        ])
    func badOptions(_ extra: [String], _ expected: String) throws {
        let run = try topiary(
            arguments: [
                "evaluate", CLI.cnn, "--input", CLI.testX,
                "--labels", CLI.testY, "--reshape",
            ] + extra)
        #expect(run.status != 0)
        #expect(run.stderr.contains(expected), "\(extra): \(run.stderr)")
    }
}
