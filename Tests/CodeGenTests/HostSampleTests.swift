import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// `samples/host`: the Makefile converts a model and builds classify.c against it, and the
/// classifier reads `digit7.txt` as a 7, as its README says.
@Suite("Host sample")
struct HostSampleTests {
    static let folder = repositoryRoot.appendingPathComponent("samples/host").path

    @Test(
        "make builds the classifier and it reads digit7.txt as a 7", .enabled(if: installed("make"), "make is not installed"),
        arguments: ["mlp", "cnn"])
    func classify(_ model: String) throws {
        try withScratchFolder { scratch in
            let build = scratch + "/build"
            let make = try ProcessRunner.run(
                "make",
                [
                    "-C", Self.folder, "TOPIARY=\(topiaryExecutable.path)", "BUILD=\(build)",
                    "MODEL=\(repositoryRoot.path)/samples/models/\(model)/model.h5",
                ])
            #expect(make.succeeded, "\(make.stderr)")
            let run = try ProcessRunner.run(build + "/classify", [Self.folder + "/digit7.txt"])
            #expect(run.succeeded, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("digit: 7\n"))
            let bad = try ProcessRunner.run(build + "/classify", [Self.folder + "/Makefile"])
            #expect(bad.status == 1)
        }
    }

    @Test("digit7.txt is test sample 0 of the digits data, scaled back to 0..16")
    func digitFile() throws {
        let text = try String(contentsOfFile: Self.folder + "/digit7.txt", encoding: .utf8)
        let pixels = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .flatMap { $0.split(separator: " ") }.compactMap { Float($0) }
        let test = try NpyFile.read(path: repositoryRoot.path + "/samples/data/digits_test_x.npy")
        let labels = try NpyFile.read(path: repositoryRoot.path + "/samples/data/digits_test_y.npy")
        #expect(labels.values[0] == 7)
        #expect(pixels.map { $0 / 16 } == Array(test.values[0..<64]))
    }
}
