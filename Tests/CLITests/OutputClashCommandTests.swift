import Foundation
import Testing
import TopiaryTestSupport

/// `convert` never writes output that cannot compile or lands somewhere unintended: a model
/// name that clashes with a kernel header, or an empty output folder name, is refused before
/// anything is written.
@Suite struct OutputClashCommandTests {
    static let mlp = samplesRoot.appendingPathComponent("models/mlp/model.h5").path

    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-clash-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aModelNamedLikeTheKernelHeaderIsRefusedAndNothingIsWritten() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let run = try topiary("convert", Self.mlp, "--name", "topiary", "-o", output)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: "))
        #expect(run.stderr.contains("two generated files would both be named topiary.h"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func anEmptyOutputFolderIsAUsageError() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try topiary("convert", Self.mlp, "-o", "", in: folder)
        #expect(run.status == 2)
        #expect(run.stderr.contains("--output needs a folder; an empty name does not name one"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
