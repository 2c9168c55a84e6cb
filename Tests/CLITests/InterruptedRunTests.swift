import Foundation
import Testing
import TopiaryTestSupport

/// Interrupted `convert` runs and the size measurement: a signal stops the tools topiary started
/// and removes its temporary folders, exiting with the shell's 128 + signal; the measurement
/// runs only when asked to or when the C is small enough to compile quickly.
@Suite struct InterruptedRunTests {
    static let mlp = samplesRoot.appendingPathComponent("models/mlp/model.h5").path

    /// Fills `folder` with `bin/` (stand-in ARM tools that hang, as a compiler of a huge C file
    /// does) and `tmp/` (the run's TMPDIR).
    static func installHangingTools(in folder: URL) throws {
        for tool in ["arm-none-eabi-gcc", "arm-none-eabi-size"] {
            let bin = folder.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            // The background job stands for cc1: it must be stopped with the driver.
            try "#!/bin/sh\n(sleep 4; touch \"$TOPIARY_TEST_MARKER\") &\nsleep 60\n".write(
                to: bin.appendingPathComponent(tool), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(tool).path)
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tmp"), withIntermediateDirectories: true)
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM"), (SIGHUP, Int32(129), "SIGHUP")])
    func aSignalDuringTheSizeMeasurementStopsTheCompilerAndRemovesTemporaryFiles(_ signal: Int32, _ status: Int32, _ name: String) throws {
        try withScratchFolder { path in
            let folder = URL(fileURLWithPath: path)
            try Self.installHangingTools(in: folder)
            let tmp = folder.appendingPathComponent("tmp")
            let marker = folder.appendingPathComponent("compiler-still-running")
            let process = Process()
            process.executableURL = topiaryExecutable
            process.arguments = ["convert", Self.mlp, "-o", folder.appendingPathComponent("out").path]
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = folder.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["TMPDIR"] = tmp.path
            environment["TOPIARY_TEST_MARKER"] = marker.path
            process.environment = environment
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()

            // Wait until the measurement's temporary folder exists: the compiler is running then.
            let deadline = Date().addingTimeInterval(60)
            while (try FileManager.default.contentsOfDirectory(atPath: tmp.path)).isEmpty && process.isRunning && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: 0.3)
            let sent = Date()
            kill(process.processIdentifier, signal)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()

            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == status)
            #expect(stderr == "topiary: stopped by \(name); running tools stopped, temporary files removed\n")
            #expect(Date().timeIntervalSince(sent) < 5)
            #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == [])
            Thread.sleep(forTimeInterval: 4.5)
            #expect(!FileManager.default.fileExists(atPath: marker.path), "the compiler's child kept running")
        }
    }

    @Test func measuringSizeNeverComputesTheFigures() throws {
        try withScratchFolder { folder in
            let run = try topiary("convert", Self.mlp, "-o", folder + "/out", "--measure-size", "never")
            #expect(run.status == 0)
            #expect(run.stdout.contains("computed, not measured: measurement not asked for"))
        }
    }
}
