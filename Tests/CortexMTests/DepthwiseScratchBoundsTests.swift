import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// `tp_depthwise_conv2d_3x3_s8` stays within the scratch the planner reserves for it: the
/// layer's call is given a scratch of exactly the emitter's size for its passes followed by
/// guard words, and an output byte is spoiled when the kernel's `_get_buffer_size` differs from
/// that size or a guard word changed, so that the comparison with the Swift integer reference
/// fails. Passes of one, two and all three groups of a layer of 14 channels (three groups of
/// four and two channels after them), on the Cortex-M4 (the 136-byte records of the DSP
/// extension) and the Cortex-M0+ (the portable ones).
@Suite(.needsEmulator)
struct DepthwiseScratchBoundsTests {
    static let channels = 14

    /// A 3x3 'same' depthwise convolution over a 5x6 image: windows over each side of the
    /// padding and runs between them.
    static func depthwiseGraph() throws -> Graph {
        var g = GraphBuilder()
        g.input([5, 6, channels], name: "image")
        try g.seededDepthwise3x3(seed: 71, name: "depthwise")
        return g.graph()
    }

    /// `source` with its one 3x3 depthwise call running `records` groups a pass in a scratch of
    /// `bytes` followed by eight guard words, the first output byte spoiled when the kernel asks
    /// for another size or writes past it; the passes built (`TP_DEPTHWISE_3X3_PASSES`).
    static func guarded(_ source: String, records: Int, bytes: Int) throws -> String {
        let call = try Regex(
            #"tp_depthwise_conv2d_3x3_s8\((&\w+), ([^,]+), ([^,]+), ([^,]+), [^,]+, \d+\);"#,
            as: (Substring, Substring, Substring, Substring, Substring).self)
        let match = try #require(source.firstMatch(of: call), "one 3x3 depthwise call")
        let (_, params, input, weights, output) = match.output
        let words = bytes / 4
        let block = """
            {
                    static int32_t guarded[\(words + 8)];
                    int32_t k, spoiled = tp_depthwise_conv2d_3x3_s8_get_buffer_size(\(records)) != \(bytes);
                    for (k = \(words); k < \(words + 8); ++k) guarded[k] = (int32_t)0x5AA5C33C;
                    tp_depthwise_conv2d_3x3_s8(\(params), \(input), \(weights), \(output), guarded, \(records));
                    for (k = \(words); k < \(words + 8); ++k) spoiled |= guarded[k] != (int32_t)0x5AA5C33C;
                    if (spoiled) (\(output))[0] = (int8_t)~(\(output))[0];
                }
            """
        return "#define TP_DEPTHWISE_3X3_PASSES\n" + source.replacingCharacters(in: match.range, with: block)
    }

    @Test(
        "a 3x3 depthwise layer in passes of 1, 2 and 3 groups writes only the scratch the planner reserves, which its _get_buffer_size asks for, with and without the DSP extension",
        arguments: [1, 2, 3], CortexMTarget.withAndWithoutDSP)
    func passesStayWithinTheirScratch(records: Int, target: CortexMTarget) throws {
        let inputs = randomSamples([4, 5, 6, Self.channels], in: -2...2, seed: 73)
        let quantized = try quantizedInt8(Self.depthwiseGraph(), calibratedOn: inputs)
        let index = try #require(quantized.nodes.firstIndex { $0.name == "depthwise" })
        let kernel = try #require(try KernelSelector.kernel(for: index, in: quantized, format: .dense, goal: .balanced))
        let bytes = WeightedS8Emitter.depthwise3x3Scratch(records: records)
        #expect(kernel.scratchChoices.contains(bytes), "the planner may give the layer passes of \(records) groups")
        #expect(kernel.withScratch(bytes).scratchBytes == bytes)
        var model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        let file = try #require(model.files.firstIndex { $0.name == model.name + ".c" })
        model.files[file].contents = try Self.guarded(model.source, records: records, bytes: bytes)
        try expectBitExactOnEmulator(model, quantized, inputs, on: target, limit: 4)
    }
}
