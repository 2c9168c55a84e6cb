import Testing
import Topiary
import TopiaryTestSupport

/// Layers that store only their live channels (the rest have no weight at all), run on the
/// emulated Cortex-M4 (dense pointwise product of the live rows on the DSP extension) and
/// Cortex-M0+ (portable C): the kernel over the live channels, then `tp_spread_channels_s8`
/// in place, must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct LiveChannelKernelTests {
    @Test(
        "live rows of pointwise, 3x3 and Dense layers, outputs spread in place, are bit-exact with and without the DSP extension",
        arguments: CortexMTarget.withAndWithoutDSP)
    func liveRowsAreBitExact(_ target: CortexMTarget) throws {
        let inputs = DeadFilterGraphs.inputs(count: 3)
        let quantized = try quantizedInt8(try DeadFilterGraphs.graph(), calibratedOn: DeadFilterGraphs.inputs(count: 20))
        let model = try CodeGenerator(options: ConversionOptions()).generate(quantized)
        #expect(model.layers.filter { $0.storedChannels != nil }.count == 3)
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 3)
    }
}
