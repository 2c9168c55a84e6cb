import Foundation
import Testing
import TopiaryTestSupport

/// `convert --optimize` end to end: the format each goal picks for a half-pruned int8 MLP, in
/// the per-layer table and the generated C, and the flag recorded in the header comment.
@Suite("--optimize on the command line")
struct OptimizeGoalCommandTests {
    /// The Format column of each Dense layer of the half-pruned digits MLP converted with `extra`,
    /// and the generated header.
    func formats(_ extra: [String]) throws -> (formats: [String: String], header: String) {
        try withScratchFolder { folder in
            let run = try topiary(
                arguments: [
                    "convert", CompressionCommandTests.mlp, "-o", folder + "/out", "--name", "digits", "--sparsity", "0.5",
                    "--quantize", "int8", "--calibration", CompressionCommandTests.train, "--calibration-samples", "100",
                ] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            var formats: [String: String] = [:]
            for line in run.stdout.split(separator: "\n") {
                let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                if let layer = cells.first, ["fc1", "fc2", "fc3"].contains(layer), cells.count > 1 { formats[layer] = cells[1] }
            }
            return (formats, try String(contentsOfFile: folder + "/out/digits.h", encoding: .utf8))
        }
    }

    @Test("size stores the half-pruned layers as a bitmask; balanced (the default) and speed keep them dense, which is faster")
    func goalsPickFormats() throws {
        let size = try formats(["--optimize", "size"])
        #expect(size.formats["fc1"] == "bitmask", "\(size.formats)")
        #expect(size.header.contains("--optimize size"))
        for extra in [[], ["--optimize", "speed"], ["--optimize", "balanced"]] {
            let result = try formats(extra)
            #expect(result.formats["fc1"] == "dense", "\(extra): \(result.formats)")
            // The default goal is not recorded; another one is.
            #expect(result.header.contains("--optimize") == (extra.last == "speed"), "\(extra)")
        }
    }

    @Test("an unknown goal is a usage error that lists the goals")
    func unknownGoal() throws {
        let run = try topiary(
            "convert", CompressionCommandTests.mlp, "-o", "/tmp/unused", "--quantize", "int8", "--calibration",
            CompressionCommandTests.train,
            "--optimize", "fast")
        #expect(run.status == 2)
        #expect(run.stderr.contains("speed") && run.stderr.contains("size") && run.stderr.contains("balanced"))
    }
}
