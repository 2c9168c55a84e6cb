import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Every command's `--json`: standard output parses as the documented document, and it holds
/// the same figures the command's text shows.
@Suite struct JSONOutputTests {
    typealias CLI = CompressionCommandTests

    /// The integer right after `prefix` on the first line that contains it, commas dropped.
    static func integer(after prefix: String, in text: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { "0123456789,".contains($0) }.filter { $0 != "," })
    }

    @Test("inspect --json: per-layer multiply-adds and output bytes, the planned arena, as in the table and convert")
    func inspect() throws {
        let text = try topiary("inspect", CLI.mlp)
        let json = try topiary("inspect", CLI.mlp, "--json")
        #expect(text.status == 0 && json.status == 0)
        let summary = try JSONReport.decode(ModelSummary.self, from: json.stdout)
        // Dense 64→64, dropout, 64→32, 32→10: one multiply-add per kernel weight.
        #expect(summary.rows.map(\.multiplyAdds) == [0, 4096, 0, 2048, 320])
        #expect(summary.rows.map(\.activationBytes) == [256, 256, 256, 128, 40])
        #expect(summary.multiplyAdds == 6464 && text.stdout.contains("6,464 multiply-adds per inference"))
        let arena = try #require(summary.arenaBytes)
        #expect(Self.integer(after: "Activation arena of the float C: ", in: text.stdout) == arena)
        try withScratchFolder { folder in
            let convert = try topiary("convert", CLI.mlp, "-o", folder, "--measure-size", "never", "--json")
            #expect(try JSONReport.decode(ConversionReport.self, from: convert.stdout).arenaBytes == arena)
            // The keys the README documents, unchanged for existing readers.
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["total_params"] as? Int == 6570)
            let first = try #require((object["layers"] as? [[String: Any]])?.first)
            #expect(first["activation"] is NSNull && first["class"] as? String == "InputLayer")
        }
    }

    @Test("convert --json: standard output is the document alone, with the text's sizes, table totals and fidelity")
    func convert() throws {
        try withScratchFolder { folder in
            let options = FidelityCommandTests.int8Options + ["--measure-size", "never"]
            let text = try topiary(arguments: ["convert", CLI.mlp, "-o", folder + "/t"] + options)
            let json = try topiary(arguments: ["convert", CLI.mlp, "-o", folder + "/j", "--json"] + options)
            #expect(text.status == 0 && json.status == 0, "\(json.stderr)")
            let report = try JSONReport.decode(ConversionReport.self, from: json.stdout)
            let compression = try #require(report.compression)
            #expect(Self.integer(after: "compressed weights + indices + metadata: ", in: text.stdout) == compression.bytes)
            #expect(Self.integer(after: "multiply-adds run: ", in: text.stdout) == compression.multiplyAddsRun)
            #expect(Self.integer(after: "arena: ", in: text.stdout) == report.arenaBytes)
            #expect(Self.integer(after: "flash: ", in: text.stdout) == report.sizes.rodata && !report.sizes.measured)
            #expect(compression.layers.map(\.name) == ["fc1", "fc2", "fc3"] && compression.sparseStorage)
            let agreement = try #require(report.fidelity?.outputs.first?.agreement)
            #expect(text.stdout.contains("top-1 agreement \(String(format: "%.2f", agreement))%"))
            #expect(Self.integer(after: ".c and ", in: text.stdout).map { $0 + 2 } == report.files.count)
        }
    }

    @Test("evaluate --json: the float score alone, or float, compressed, change and fidelity, as the text prints them")
    func evaluate() throws {
        let plain = try topiary("evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--json")
        #expect(plain.status == 0)
        let float = try JSONReport.decode(EvaluationReport.self, from: plain.stdout)
        #expect(float.float.correct == 351 && float.float.total == 360 && float.compressed == nil)
        let arguments = ["evaluate", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY] + FidelityCommandTests.int8Options
        let text = try topiary(arguments: arguments)
        let json = try topiary(arguments: arguments + ["--json"])
        #expect(text.status == 0 && json.status == 0)
        let report = try JSONReport.decode(EvaluationReport.self, from: json.stdout)
        let compressed = try #require(report.compressed)
        #expect(
            text.stdout.contains(
                "compressed: top-1 accuracy \(((compressed.accuracy! * 100).rounded()) / 100)% (\(compressed.correct!)/360)"))
        #expect(text.stdout.contains("change:     \(String(format: "%+.2f", report.change!)) points"))
        #expect(report.fidelity?.outputs.first?.compressedAccuracy == compressed.accuracy)
    }

    @Test("verify --json: the parity figures and the fidelity, nothing else on standard output")
    func verify() throws {
        let json = try topiary(arguments: ["verify", CLI.mlp, "--input", CLI.testX, "--json"] + FidelityCommandTests.int8Options)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONReport.decode(VerificationReport.self, from: json.stdout)
        #expect(report.passed && report.samples == 360 && report.comparison == "bit-exact" && report.mismatchedValues == 0)
        #expect(report.fidelity?.samples == 360 && report.fidelity?.outputs.first?.agreement != nil)
        let float = try topiary("verify", CLI.mlp, "--input", CLI.testX, "--json")
        let plain = try JSONReport.decode(VerificationReport.self, from: float.stdout)
        #expect(plain.passed && plain.comparison == "tolerance" && plain.tolerance == 1e-5 && plain.fidelity == nil)
    }

    @Test("predict --json: each sample's argmax as the text prints it, or the files written")
    func predict() throws {
        let text = try topiary("predict", CLI.mlp, "--input", CLI.testX)
        let json = try topiary("predict", CLI.mlp, "--input", CLI.testX, "--json")
        #expect(text.status == 0 && json.status == 0)
        let summary = try JSONReport.decode(PredictionSummary.self, from: json.stdout)
        let argmaxes = text.stdout.split(separator: "\n").compactMap { Self.integer(after: "argmax ", in: String($0)) }
        #expect(summary.samples == 360 && summary.outputs.first?.argmax == argmaxes && summary.outputs.first?.shape == [10])
        try withScratchFolder { folder in
            let written = try topiary("predict", CLI.mlp, "--input", CLI.testX, "--output", folder + "/y.npy", "--json")
            let files = try JSONReport.decode(PredictionSummary.self, from: written.stdout)
            #expect(files.outputs.first?.file == folder + "/y.npy" && files.outputs.first?.scores == nil)
            #expect(written.stderr.contains("wrote \(folder)/y.npy [360, 10]"))
        }
    }

    @Test("sensitivity --json: the table's accuracies per layer and sparsity")
    func sensitivity() throws {
        let arguments = [
            "sensitivity", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--sparsities", "0.5,0.9",
            "--prune-method", "magnitude",
        ]
        let text = try topiary(arguments: arguments)
        let json = try topiary(arguments: arguments + ["--json"])
        #expect(text.status == 0 && json.status == 0, "\(json.stderr)")
        let document = try JSONReport.decode(SensitivityReport.Document.self, from: json.stdout)
        #expect(document.layers.map(\.name) == ["fc1", "fc2", "fc3"] && document.sparsities == [0.5, 0.9])
        for layer in document.layers {
            let row = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix(layer.name + " ") })
            let cells = layer.accuracies.map { String(format: "%.2f%%", $0) }
            #expect(row.hasSuffix(cells.joined(separator: "  ")) || cells.allSatisfy(row.contains), "\(row) vs \(cells)")
        }
        #expect(document.floatAccuracy == 97.5)
    }
}
