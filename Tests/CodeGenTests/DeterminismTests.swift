import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("Deterministic output")
struct DeterminismTests {
    @Test("converting twice gives byte-identical files", arguments: ["mlp", "cnn", "multi_io", "gru"].map(SampleFolder.model))
    func twice(_ sample: SampleFolder) throws {
        let source = try SourceDescription(modelPath: try sample.modelPath, configPath: try sample.configPath)
        let generator = CodeGenerator(options: ConversionOptions(name: "net"), source: source)
        let first = try generator.generate(try sample.importGraph())
        let second = try generator.generate(try sample.importGraph())
        #expect(first.files.map(\.name) == second.files.map(\.name))
        for (a, b) in zip(first.files, second.files) {
            #expect(Array(a.contents.utf8) == Array(b.contents.utf8), "\(a.name) differs between runs")
        }
    }

    @Test("the header records version, digest and options, and no absolute path")
    func provenance() throws {
        let sample = SampleFolder.model("mlp")
        let path = try sample.modelPath
        let source = try SourceDescription(modelPath: path)
        let model = try CodeGenerator(options: ConversionOptions(name: "digits"), source: source).generate(try sample.importGraph())
        #expect(source.sha256.count == 64)
        for text in [model.header, model.source] {
            #expect(text.contains("Topiary \(Topiary.version)"))
            #expect(text.contains("model.h5, sha256 \(source.sha256)"))
            #expect(text.contains("Options: --name digits"))
            #expect(!text.contains(repositoryRoot.path))
        }
    }

    @Test("convert twice through the command line writes identical bytes")
    func commandLine() throws {
        let model = try SampleFolder.model("cnn").modelPath
        try withScratchFolder { folder in
            #expect(try topiary("convert", model, "-o", folder + "/a").status == 0)
            #expect(try topiary("convert", model, "-o", folder + "/b").status == 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/a").sorted()
            #expect(names == (try FileManager.default.contentsOfDirectory(atPath: folder + "/b").sorted()))
            for name in names {
                #expect(
                    FileManager.default.contents(atPath: folder + "/a/" + name)
                        == FileManager.default.contents(atPath: folder + "/b/" + name), "\(name) differs")
            }
        }
    }
}
