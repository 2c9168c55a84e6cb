import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
import TopiaryTestSupport

/// `topiary sensitivity`: the table of per-layer accuracies and a well-formed SVG with one
/// line per layer.
@Suite("Sensitivity on the command line")
struct SensitivityCommandTests {
    typealias CLI = CompressionCommandTests

    @Test("prints one row per layer and writes an SVG with one line per layer")
    func tableAndPlot() throws {
        try withScratchFolder { folder in
            let svg = folder + "/curves.svg"
            let run = try topiary(
                "sensitivity", CLI.mlp, "--calibration", CLI.train, "--calibration-samples", "100",
                "--input", CLI.testX, "--labels", CLI.testY, "--sparsities", "0.5,0.9,0.7",
                "--prune-method", "obs", "--quantize", "int8", "--svg", svg)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            let header = try #require(lines.first { $0.hasPrefix("Layer") })
            #expect(header.split(separator: " ").filter { $0.hasSuffix("%") } == ["50%", "70%", "90%"], "sparsities sorted: \(header)")
            for layer in ["fc1", "fc2", "fc3"] {
                let row = try #require(lines.first { $0.hasPrefix(layer + " ") }, "\(run.stdout)")
                let accuracies = row.split(separator: " ").filter { $0.hasSuffix("%") }.compactMap { Double($0.dropLast()) }
                #expect(accuracies.count == 3 && accuracies.allSatisfy { $0 > 10 && $0 <= 100 }, "\(row)")
            }
            #expect(run.stdout.contains("float model: 97.50% (351/360)"))
            #expect(run.stdout.contains("obs pruning, int8"))

            let counter = SVGCounter()
            let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: svg)))
            parser.delegate = counter
            #expect(parser.parse(), "the SVG is well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(counter.counts["svg"] == 1)
            #expect(counter.polylines.count == 3, "one line per layer")
            for points in counter.polylines { #expect(points.split(separator: " ").count == 3, "one point per sparsity") }
            for layer in ["fc1", "fc2", "fc3"] { #expect(counter.texts.contains(layer), "the legend names \(layer)") }
        }
    }

    @Test("--sparsity is refused: sensitivity chooses it")
    func refusesSparsity() throws {
        let run = try topiary("sensitivity", CLI.mlp, "--input", CLI.testX, "--labels", CLI.testY, "--sparsity", "0.5")
        #expect(run.status == 2)
        #expect(run.stderr.contains("drop --sparsity"))
    }
}
