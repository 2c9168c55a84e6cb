import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("Atomic output")
struct OutputFolderTests {
    let files = [GeneratedModel.File(name: "a.h", contents: "new a\n"), GeneratedModel.File(name: "b.c", contents: "new b\n")]

    @Test("a new folder appears with every file and no staging folder is left")
    func newFolder() throws {
        try withScratchFolder { folder in
            let written = try OutputFolder.write(files, to: folder + "/out")
            #expect(written == [folder + "/out/a.h", folder + "/out/b.c"])
            #expect(try String(contentsOfFile: folder + "/out/a.h", encoding: .utf8) == "new a\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out"])
        }
    }

    @Test("an existing folder gets the new files; other files stay")
    func existingFolder() throws {
        try withScratchFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: false)
            try "old a\n".write(toFile: folder + "/out/a.h", atomically: false, encoding: .utf8)
            try "mine\n".write(toFile: folder + "/out/main.c", atomically: false, encoding: .utf8)
            try OutputFolder.write(files, to: folder + "/out")
            #expect(try String(contentsOfFile: folder + "/out/a.h", encoding: .utf8) == "new a\n")
            #expect(try String(contentsOfFile: folder + "/out/main.c", encoding: .utf8) == "mine\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["out"])
        }
    }

    @Test("on failure nothing is left behind and existing files are untouched")
    func failureLeavesNothing() throws {
        try withScratchFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: false)
            try "old a\n".write(toFile: folder + "/out/a.h", atomically: false, encoding: .utf8)
            // A file name that cannot be created makes staging fail after the first file.
            let bad = files + [GeneratedModel.File(name: "no/such/dir.h", contents: "x")]
            #expect(throws: CodeGenError.self) { try OutputFolder.write(bad, to: folder + "/out") }
            #expect(try String(contentsOfFile: folder + "/out/a.h", encoding: .utf8) == "old a\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out") == ["a.h"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out"])
            // Into a missing parent folder: refused before anything is written.
            #expect(throws: CodeGenError.self) { try OutputFolder.write(files, to: folder + "/missing/out") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out"])
        }
    }

    @Test("a path that is a file is refused")
    func fileInTheWay() throws {
        try withScratchFolder { folder in
            try "x".write(toFile: folder + "/out", atomically: false, encoding: .utf8)
            #expect(throws: CodeGenError.self) { try OutputFolder.write(files, to: folder + "/out") }
            #expect(try String(contentsOfFile: folder + "/out", encoding: .utf8) == "x")
        }
    }

    @Test("a folder standing where one file goes is refused before any file is replaced")
    func folderInTheWayOfOneFile() throws {
        try withScratchFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/out/b.c", withIntermediateDirectories: true)
            try "old a\n".write(toFile: folder + "/out/a.h", atomically: false, encoding: .utf8)
            #expect(
                throws: CodeGenError.cannotWrite(
                    path: folder + "/out/b.c", reason: "a folder stands where this file goes; nothing was written")
            ) {
                try OutputFolder.write(files, to: folder + "/out")
            }
            #expect(try String(contentsOfFile: folder + "/out/a.h", encoding: .utf8) == "old a\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out").sorted() == ["a.h", "b.c"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out"])
        }
    }

    @Test("two files of the same name (a model named like a kernel header) are refused and nothing is written")
    func clashingNames() throws {
        try withScratchFolder { folder throws in
            let clashing = [
                GeneratedModel.File(name: "topiary.h", contents: "model\n"), GeneratedModel.File(name: "topiary.h", contents: "kernels\n"),
            ]
            #expect(
                throws: CodeGenError.cannotWrite(
                    path: folder + "/out/topiary.h",
                    reason:
                        "two generated files would both be named topiary.h: the model's name clashes with a kernel header's; give the model another name"
                )
            ) {
                try OutputFolder.write(clashing, to: folder + "/out")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
        }
    }
}
