import Foundation
import Testing
import TopiaryTestSupport

/// `convert` never writes output that cannot compile or lands somewhere unintended: a model
/// name that clashes with a kernel header, or an empty output folder name, is refused before
/// anything is written.
@Suite struct OutputClashCommandTests {
    static let mlp = samplesRoot.appendingPathComponent("models/mlp/model.h5").path

    @Test func aModelNamedLikeTheKernelHeaderIsRefusedAndNothingIsWritten() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", Self.mlp, "--name", "topiary", "-o", folder + "/out")
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: "))
            #expect(run.stderr.contains("two generated files would both be named topiary.h"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }

    @Test func anEmptyOutputFolderIsAUsageError() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", Self.mlp, "-o", "", in: URL(fileURLWithPath: folder))
            #expect(run.status == 2)
            #expect(run.stderr.contains("--output needs a folder; an empty name does not name one"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }
}
