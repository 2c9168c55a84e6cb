import Foundation
import Testing
import TopiaryTestSupport

/// What `convert` says when the cap binds.
@Suite struct GlobalRankingCommandTests {
    @Test("convert of the CNN at 90% global names the capped layer under its table")
    func convertReportsCap() throws {
        try withScratchFolder { folder in
            let run = try topiary(
                "convert", CompressionCommandTests.cnn, "-o", folder + "/out", "--sparsity", "0.9",
                "--prune-scope", "global")
            #expect(run.status == 0, "\(run.stderr)")
            let table = try #require(run.stdout.range(of: "Compression ("))
            let line = try #require(
                run.stdout.range(
                    of:
                        "capped: 'conv2' lost 94.99% (global ranking of |w| would take 99.54%), so that every layer and output channel keeps weights"
                ))
            #expect(table.upperBound < line.lowerBound)
        }
    }
}
