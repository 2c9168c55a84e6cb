import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// What `convert`, `evaluate` and `verify` say about the compressed model against the float
/// one, and the defaults that keep a user who follows the README close to it.
@Suite struct FidelityCommandTests {
    typealias CLI = CompressionCommandTests

    static let int8Options = ["--sparsity", "0.8", "--quantize", "int8", "--calibration", CLI.train, "--calibration-samples", "200"]

    /// The digits MLP compressed as `convert` compresses it with `int8Options` and `method`,
    /// and the top-1 agreement and accuracies on the test digits, computed here directly.
    static func direct(_ method: PruneMethod) throws -> (agreement: Double, float: Double, compressed: Double) {
        let graph = try Samples.graph("mlp")
        let options = CompressionOptions(pruning: PruningOptions(target: .uniform(0.8)), quantization: .int8, pruneMethod: method)
        let compressed = try CompressionPipeline.run(graph, options: options, calibration: try Samples.calibration(for: graph)).graph
        let inputs = try NpyFile.read(path: CLI.testX), labels = try NpyFile.read(path: CLI.testY)
        let float = try FloatInference(graph: graph).predict([inputs], reshape: true)[0]
        let int8 = try Int8Inference(graph: compressed).predict([inputs], reshape: true)[0]
        let a = Evaluation.argmaxes(float.values, classes: 10), b = Evaluation.argmaxes(int8.values, classes: 10)
        let truth = labels.values.map { Int($0) }
        func percent(_ count: Int) -> Double { 100 * Double(count) / Double(truth.count) }
        return (
            percent(zip(a, b).filter { $0 == $1 }.count), percent(zip(a, truth).filter { $0 == $1 }.count),
            percent(zip(b, truth).filter { $0 == $1 }.count)
        )
    }

    /// `convert --json` of the digits MLP with the int8 options, measured on the test digits.
    static func convert(_ extra: [String]) throws -> (run: Run, report: ConversionReport) {
        try withScratchFolder { folder in
            let run = try topiary(
                arguments: ["convert", CLI.mlp, "-o", folder, "--input", CLI.testX, "--labels", CLI.testY, "--json"] + int8Options + extra)
            try #require(run.status == 0, "\(run.stderr)")
            return (run, try JSONReport.decode(ConversionReport.self, from: run.stdout))
        }
    }

    @Test("convert at 80% magnitude int8: the large drop is measured exactly, and a warning names OBS")
    func magnitudeDropWarns() throws {
        let (run, report) = try Self.convert(["--prune-method", "magnitude"])
        let expected = try Self.direct(.magnitude)
        let output = try #require(report.fidelity?.outputs.first)
        #expect(output.agreement == expected.agreement && output.floatAccuracy == expected.float)
        #expect(output.compressedAccuracy == expected.compressed)
        #expect(expected.compressed < expected.float - 20, "magnitude pruning to 80% should cost many points: \(expected)")
        #expect(run.stderr.contains("warning: the compressed model is far from the float model on digits_test_x.npy: top-1 agreement"))
        #expect(run.stderr.contains("--prune-method obs"))
        #expect(report.warnings.count == 1)
    }

    @Test("convert at 80% with calibration data defaults to OBS: agreement of at least 98%, no warning")
    func obsDefaultKeepsAgreement() throws {
        let (run, report) = try Self.convert([])
        let expected = try Self.direct(.obs)
        let output = try #require(report.fidelity?.outputs.first)
        #expect(output.agreement == expected.agreement && output.compressedAccuracy == expected.compressed)
        #expect(expected.agreement >= 98, "\(expected)")
        #expect(!run.stderr.contains("warning"), "\(run.stderr)")
        #expect(report.warnings.isEmpty && report.compression?.options.contains("--prune-method obs") == true)
    }

    @Test("convert without --input measures on the calibration samples and prints the line in its text")
    func convertTextOnCalibration() throws {
        try withScratchFolder { folder in
            let run = try topiary(arguments: ["convert", CLI.mlp, "-o", folder, "--prune-method", "magnitude"] + Self.int8Options)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout.contains(
                    "fidelity vs the float model on 200 samples (calibration samples of digits_train_x.npy): top-1 agreement"))
            #expect(run.stderr.contains("warning: the compressed model is far from the float model"))
        }
    }

    @Test("verify keeps its PASS of the C and adds how far the model is from the float one")
    func verifyShowsFidelity() throws {
        let run = try topiary(
            arguments: ["verify", CLI.mlp, "--input", CLI.testX, "--prune-method", "magnitude"] + Self.int8Options)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try Self.direct(.magnitude)
        #expect(run.stdout.contains("PASS"))
        #expect(run.stdout.contains("top-1 agreement \(String(format: "%.2f", expected.agreement))%"), "\(run.stdout)")
    }

    @Test("evaluate prints the fidelity line with the accuracy change")
    func evaluateShowsFidelity() throws {
        let run = try topiary(
            arguments: ["evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--prune-method", "magnitude"]
                + Self.int8Options)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try Self.direct(.magnitude)
        #expect(
            run.stdout.contains(
                "top-1 agreement \(String(format: "%.2f", expected.agreement))%, accuracy \(String(format: "%.2f", expected.compressed))% (float \(String(format: "%.2f", expected.float))%"
            ), "\(run.stdout)")
    }

    @Test("an output without softmax gets no agreement, says so, and shows SNR, cosine and largest error")
    func outputWithoutSoftmax() throws {
        let model = samplesRoot.path + "/zoo/dense/model.h5", input = samplesRoot.path + "/zoo/dense/input.npy"
        let options = ["--input", input, "--quantize", "int8", "--calibration", input]
        let text = try topiary(arguments: ["verify", model] + options)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("no top-1 agreement: the output is not a softmax over classes"), "\(text.stdout)")
        let json = try topiary(arguments: ["verify", model, "--json"] + options)
        let output = try #require(try JSONReport.decode(VerificationReport.self, from: json.stdout).fidelity?.outputs.first)
        #expect(!output.classifier && output.agreement == nil)
        #expect(output.snrDecibels.map { $0 > 20 } == true && output.cosineSimilarity > 0.99 && output.maxAbsoluteError > 0)
        #expect(text.stdout.contains("SNR \(String(format: "%.1f", output.snrDecibels!)) dB per sample"))
    }

    @Test("the README's compression example, run unchanged, loses at most 1 point on the test digits")
    func readmeExampleLosesAtMostOnePoint() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("--sparsity 0.8 --quantize int8 --calibration $D/digits_train_x.npy --calibration-samples 200"))
        let run = try topiary(arguments: ["evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--json"] + Self.int8Options)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONReport.decode(EvaluationReport.self, from: run.stdout)
        let change = try #require(report.change)
        #expect(change >= -1, "\(change) points")
    }

    @Test("magnitude pruning above 50% without calibration data warns and says how to get OBS")
    func magnitudeWithoutCalibrationWarns() throws {
        let run = try topiary("evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--sparsity", "0.8")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "warning: magnitude pruning to 80% without calibration data can cost much accuracy; give --calibration X.npy"))
        let mild = try topiary("evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--sparsity", "0.5")
        #expect(!mild.stderr.contains("warning"), "\(mild.stderr)")
    }

    @Test("float pruning keeps dense storage, and the report says nothing is saved instead of half the work")
    func floatPruningSavesNothing() throws {
        try withScratchFolder { folder in
            // fc2 is left whole, so it reads every unit of fc1 and the float model keeps its size.
            let run = try topiary("convert", CLI.mlp, "-o", folder, "--sparsity", "fc1=0.8", "--measure-size", "never")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("multiply-adds run: 6464 = 1.000 (1/1.0) of dense"), "\(run.stdout)")
            #expect(run.stdout.contains("pruning saves no flash and no time here (only int8 models store weights sparse"))
            #expect(!run.stdout.contains("1/2.0"))
            #expect(run.stdout.contains("fidelity not measured: no data at hand"))
        }
    }

    @Test("float pruning that leaves units unread: the report counts only their rows as saved")
    func floatPruningSavesUnreadUnits() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", CLI.mlp, "-o", folder, "--sparsity", "0.8", "--measure-size", "never")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("removed 8 channel(s) of 'fc1' that no later layer reads after pruning"))
            #expect(run.stdout.contains("multiply-adds run: 5300 = 0.820 (1/1.2) of dense"), "\(run.stdout)")
            #expect(run.stdout.contains("pruning saves only the channels no later layer read here"))
            #expect(!run.stdout.contains("1/5.0"))
        }
    }
}
