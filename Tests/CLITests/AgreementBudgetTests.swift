import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Budgets on unlabelled data: the float model's own top-1 serves as the labels.
@Suite struct AgreementBudgetTests {
    typealias CLI = CompressionCommandTests

    @Test("the agreement labels are the float model's top-1, so the float model scores 100% against them")
    func labelsAreFloatTopOne() throws {
        let graph = try Samples.graph("cnn")
        let inputs = try NpyFile.read(path: CLI.testX)
        let labels = try AgreementLabels.of(graph, [inputs], reshape: true)
        #expect(labels.shape == [360])
        let float = try FloatInference(graph: graph).predict([inputs], reshape: true)[0]
        #expect(try Samples.accuracy(float, labels) == 1)
        // The float model errs on some test digits, so these are not the true labels.
        let truth = try NpyFile.read(path: CLI.testY)
        #expect(try Samples.accuracy(float, truth) < 1)
    }

    @Test("convert --max-accuracy-drop without --labels searches on agreement with the float model and stays within it")
    func convertWithoutLabels() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                arguments: ["convert", CLI.mlp, "-o", folder + "/out", "--input", CLI.testX, "--max-accuracy-drop", "1.5"]
                    + BudgetCommandTests.data)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout.contains(
                    "no --labels: the float model's top-1 on \(CLI.testX) serves as the labels (accuracy is agreement with it)")
            )
            let measured = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("measured:") }, "\(run.stdout)")
            #expect(measured.contains("below the float model (100.00% (360/360))"), "\(measured)")
            let agreement = try #require(BudgetCommandTests.number(after: "measured: top-1", in: String(measured)))
            #expect(agreement >= 98.5, "\(measured)")
        }
    }
}
