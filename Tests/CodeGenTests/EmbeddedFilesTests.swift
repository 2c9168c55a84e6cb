import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The kernels and templates compiled into the tool are the files in the repository.
@Suite("Embedded kernels and templates")
struct EmbeddedFilesTests {
    @Test("every header in include/topiary/ is embedded, byte for byte")
    func headers() throws {
        #expect(EmbeddedFiles.headers.keys.sorted() == EmbeddedHeaders.onDisk)
        for name in EmbeddedHeaders.onDisk {
            let disk = try String(contentsOf: repositoryRoot.appendingPathComponent("include/topiary/" + name), encoding: .utf8)
            #expect(EmbeddedFiles.headers[name] == disk, "\(name) differs from the embedded copy; rebuild")
        }
    }

    @Test("the templates are embedded, byte for byte")
    func templates() throws {
        func disk(_ name: String) throws -> String {
            try String(contentsOf: repositoryRoot.appendingPathComponent("codegen/" + name), encoding: .utf8)
        }
        #expect(EmbeddedFiles.modelHeaderTemplate == (try disk("model.h.tmpl")))
        #expect(EmbeddedFiles.modelSourceTemplate == (try disk("model.c.tmpl")))
        #expect(EmbeddedFiles.driverTemplate == (try disk("driver.c.tmpl")))
    }

    @Test("a model's folder carries every header it includes, transitively")
    func closure() {
        #expect(
            EmbeddedFiles.headerClosure(["tp_dense_f32.h"]) == ["topiary.h", "tp_activation_f32.h", "tp_dense_f32.h", "tp_matmul_f32.h"])
        #expect(EmbeddedFiles.headerClosure(["tp_conv_f32.h"]).contains("tp_window.h"))
    }

    @Test("the tool works from any working directory")
    func anyDirectory() throws {
        let model = try SampleFolder.model("mlp").modelPath
        try withScratchFolder { folder in
            let run = try topiary("convert", model, "-o", folder + "/out", "--name", "digits", in: URL(fileURLWithPath: "/"))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: folder + "/out/tp_dense_f32.h"))
        }
    }
}
