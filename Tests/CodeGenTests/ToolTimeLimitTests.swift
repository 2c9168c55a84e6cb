import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Tools Topiary runs (compilers, `arm-none-eabi-size`, the parity driver) report their output
/// and status, and one that runs past its time limit is stopped together with every process it
/// started.
@Suite struct ToolTimeLimitTests {
    @Test func aToolWithinItsLimitReportsItsOutputStatusAndFolder() throws {
        try withScratchFolder { folder in
            let result = try ProcessRunner.run("/bin/sh", ["-c", "pwd; echo err >&2; exit 3"], in: folder, timeLimit: 30)
            #expect(result.status == 3)
            #expect(
                URL(fileURLWithPath: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).resolvingSymlinksInPath()
                    == URL(fileURLWithPath: folder).resolvingSymlinksInPath())
            #expect(result.stderr == "err\n")
        }
    }

    @Test func aToolPastItsLimitIsStoppedWithEverythingItStarted() throws {
        try withScratchFolder { folder in
            let start = Date()
            // The background job stands for a compiler's cc1: it must die with the driver.
            let error = #expect(throws: ToolchainError.self) {
                try ProcessRunner.run("/bin/sh", ["-c", "(sleep 2; touch left-running) & sleep 30"], in: folder, timeLimit: 0.5)
            }
            #expect(error == .timedOut("/bin/sh", seconds: 0.5))
            #expect(error?.description == "'/bin/sh' ran longer than its 1 s limit and was stopped")
            #expect(Date().timeIntervalSince(start) < 5)
            Thread.sleep(forTimeInterval: 2.5)
            #expect(!FileManager.default.fileExists(atPath: folder + "/left-running"))
        }
    }

    @Test func compileTimeLimitsGrowWithTheSource() {
        #expect(CCompiler.timeLimit(sourceBytes: 0) == 60)
        #expect(CCompiler.timeLimit(sourceBytes: 29_000_000) == 640)
    }
}
