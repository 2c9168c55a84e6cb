import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// Layers whose dead filters (all-zero output channels) are left out of the stored weights:
/// the C computes the live channels alone and spreads their outputs, each dead channel taking
/// its requantized bias; compiled for the host, it must equal the Swift integer reference
/// bit for bit, whatever the format.
@Suite("Live-channel storage: parity on the host")
struct LiveChannelParityTests {
    @Test("--format auto stores only the live rows of the pointwise, 3x3 and Dense layers with dead filters, bit-exact on the host")
    func autoStoresLiveRowsBitExact() throws {
        let quantized = try quantizedInt8(try DeadFilterGraphs.graph(), calibratedOn: DeadFilterGraphs.inputs(count: 20))
        let model = try CodeGenerator(options: ConversionOptions()).generate(quantized)
        let stored = Dictionary(uniqueKeysWithValues: model.layers.map { ($0.layer, $0.storedChannels) })
        #expect(stored["pointwise"] == 12)
        #expect(stored["conv"] == 8)
        #expect(stored["fc"] == 15)
        #expect(model.source.contains("tp_spread_channels_s8("))
        let report = try ParityHarness(options: ConversionOptions(), sanitize: true).verify(
            quantized, inputs: [DeadFilterGraphs.inputs(count: 20)])
        #expect(report.passed, "\(report)")
    }

    @Test("a forced format stores every row, dead ones included, and spreads nothing", arguments: [FormatChoice.dense, .csr, .bitmask])
    func forcedFormatStoresEveryRow(_ format: FormatChoice) throws {
        let quantized = try quantizedInt8(try DeadFilterGraphs.graph(), calibratedOn: DeadFilterGraphs.inputs(count: 20))
        let model = try CodeGenerator(options: ConversionOptions(format: format)).generate(quantized)
        #expect(model.layers.allSatisfy { $0.storedChannels == nil })
        #expect(!model.source.contains("tp_spread_channels_s8("))
    }

    @Test(
        "the live-channel C compiles clean under -std=c99 -Wall -Wextra -Wpedantic -Werror on the host and for the Cortex-M4 (-O2, as profile builds)",
        .enabled(if: installed("arm-none-eabi-gcc"), "arm-none-eabi-gcc is not installed"))
    func compilesStrictly() throws {
        let quantized = try quantizedInt8(try DeadFilterGraphs.graph(), calibratedOn: DeadFilterGraphs.inputs(count: 20))
        let model = try CodeGenerator(options: ConversionOptions(name: "net")).generate(quantized)
        #expect(model.source.contains("tp_spread_channels_s8("))
        try withScratchFolder { folder in
            try write(model, to: folder)
            try CCompiler.host().compile(CCompiler.strictFlags + ["-O2", "-c", "net.c", "-o", "host.o"], in: folder)
            try CCompiler(command: ["arm-none-eabi-gcc"]).compile(
                CCompiler.strictFlags + ["-mcpu=cortex-m4", "-mthumb", "-O2", "-c", "net.c", "-o", "m4.o"], in: folder)
            #expect(FileManager.default.fileExists(atPath: folder + "/host.o"))
            #expect(FileManager.default.fileExists(atPath: folder + "/m4.o"))
        }
    }
}
