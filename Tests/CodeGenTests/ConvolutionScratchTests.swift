import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// The scratch the planner carves from the arena for a convolution is what the kernel asks for:
/// the generated C compiled with a small program that prints the kernel's `_get_buffer_size`
/// for the layer's own parameters, compared with the emitter's scratch on several shapes.
@Suite("Convolution scratch against the kernels' _get_buffer_size")
struct ConvolutionScratchTests {
    /// A one-layer int8 model: `layer` (a Conv2D or DepthwiseConv2D named "layer") over `input`.
    static func quantizedModel(input: [Int], _ op: Op, weights: [WeightRole: Tensor]) throws -> Graph {
        var g = GraphBuilder()
        g.input(input)
        try g.add(op, weights: weights, name: "layer")
        let graph = g.graph()
        let t = randomTensor([4] + input, in: -2...2, seed: 3)
        let samples = NDArray(shape: t.shape, values: t.values)
        return try Quantizer.quantize(graph, samples: try Calibration.samples(from: [samples], for: graph))
    }

    static func convolution(_ filters: Int, kernel: [Int], stride: Int, dilation: [Int]) -> Op {
        .conv(
            Convolution(
                filters: filters, kernelSize: kernel, strides: [stride, stride], dilation: dilation, padding: .same, useBias: true,
                activation: .linear))
    }

    /// The C expression of `call` evaluated against the layer's parameters (the one struct of
    /// `paramsType` in the generated C).
    func printed(_ call: String, in model: GeneratedModel, paramsType: String = "tp_conv2d_s8_params") throws -> Int? {
        try withScratchFolder { folder in
            for file in model.files {
                try file.contents.write(toFile: folder + "/" + file.name, atomically: false, encoding: .utf8)
            }
            let pattern = try Regex("static const \(paramsType) (\\w+) =", as: (Substring, Substring).self)
            let params = try #require(
                model.source.firstMatch(of: pattern).map { String($0.1) }, "no \(paramsType) in the generated C")
            let program = """
                #include <stdio.h>
                #include "\(model.name).c"
                int main(void)
                {
                    printf("%ld\\n", (long)\(call.replacingOccurrences(of: "PARAMS", with: params)));
                    return 0;
                }
                """
            try program.write(toFile: folder + "/main.c", atomically: false, encoding: .utf8)
            try CCompiler.host().compile(["-std=c99", "-O1", "-I.", "main.c", "-o", "main", "-lm"], in: folder)
            return Int(try ProcessRunner.run(folder + "/main", [], in: folder).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// The emitter's scratch (what the planner reserves) for the model's only weighted node,
    /// its weights stored in `format`.
    func plannedScratch(_ graph: Graph, format: FormatChoice = .dense) throws -> Int {
        let index = try #require(graph.nodes.firstIndex { $0.name == "layer" })
        let kernels = try CodeGenerator(options: ConversionOptions(format: format)).kernelsAndPlan(for: graph).kernels
        return try #require(kernels[index]).scratchBytes
    }

    @Test(
        "tp_conv2d_s8_get_buffer_size equals the planned scratch: gathered windows (3, 5, 2 channels), widened ones, 1x1 strided, dilated",
        arguments: [
            ([8, 8, 3], 5, [3, 3], 1, [1, 1]),  // the first layer of an image network: 27 values, gathered
            ([6, 6, 16], 8, [3, 3], 1, [1, 1]),  // widened straight from the input
            ([9, 9, 4], 6, [1, 1], 2, [1, 1]),  // one tap: the widened window outgrows the tap offsets
            ([5, 5, 5], 4, [1, 1], 2, [1, 1]),  // one tap of 5 channels: a remainder of 1
            ([7, 7, 2], 3, [5, 1], 1, [2, 1]),  // a dilated 5x1 filter of 2 channels: a remainder of 2
        ])
    func convolutionScratchIsTheKernels(input: [Int], filters: Int, kernel: [Int], stride: Int, dilation: [Int]) throws {
        let channels = input[2]
        let graph = try Self.quantizedModel(
            input: input, Self.convolution(filters, kernel: kernel, stride: stride, dilation: dilation),
            weights: [
                .kernel: randomTensor(kernel + [channels, filters], seed: 1), .bias: randomTensor([filters], seed: 2),
            ])
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(graph)
        let asked = try printed("tp_conv2d_s8_get_buffer_size(&PARAMS)", in: model)
        let planned = try plannedScratch(graph)
        #expect(asked == planned, "the kernel asks for \(asked ?? -1) bytes, the planner reserves \(planned)")
        #expect(planned >= 4 * kernel[0] * kernel[1], "the portable body's tap offsets fit")
    }

    @Test(
        "the depthwise kernels' _get_buffer_size equals the planned scratch: 3x3 (tp_depthwise_conv2d_3x3_s8) and 5x5 (tp_depthwise_conv2d_s8)",
        arguments: [3, 5])
    func depthwiseScratchIsTheKernels(kernel: Int) throws {
        let op = Op.depthwiseConv(
            DepthwiseConvolution(
                depthMultiplier: 1, kernelSize: [kernel, kernel], strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true,
                activation: .linear))
        let graph = try Self.quantizedModel(
            input: [6, 6, 8], op,
            weights: [.depthwiseKernel: randomTensor([kernel, kernel, 8, 1], seed: 4), .bias: randomTensor([8], seed: 5)])
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(graph)
        // The 3x3 kernel's scratch follows the groups of its passes, the last argument of its call.
        let records = model.source.firstMatch(of: /tp_depthwise_conv2d_3x3_s8\(&\w+, [^;]*, (\d+)\);/)?.1
        let call =
            kernel == 3
            ? "tp_depthwise_conv2d_3x3_s8_get_buffer_size(\(try #require(records)))"
            : "tp_depthwise_conv2d_s8_get_buffer_size(&PARAMS.window, PARAMS.out_channels)"
        #expect(model.source.contains(kernel == 3 ? "tp_depthwise_conv2d_3x3_s8(" : "tp_depthwise_conv2d_s8("))
        let asked = try printed(call, in: model)
        #expect(asked == (try plannedScratch(graph)))
    }

    @Test(
        "tp_pointwise_conv2d_s8_get_buffer_size equals the planned scratch of a 1x1 convolution at stride 1 (5 and 16 channels)",
        arguments: [[5, 5, 5], [6, 6, 16]])
    func pointwiseScratchIsTheKernels(input: [Int]) throws {
        let channels = input[2]
        let graph = try Self.quantizedModel(
            input: input, Self.convolution(7, kernel: [1, 1], stride: 1, dilation: [1, 1]),
            weights: [.kernel: randomTensor([1, 1, channels, 7], seed: 6), .bias: randomTensor([7], seed: 7)])
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(graph)
        #expect(model.source.contains("tp_pointwise_conv2d_s8("))
        let asked = try printed("tp_pointwise_conv2d_s8_get_buffer_size(PARAMS.window.channels)", in: model)
        #expect(asked == (try plannedScratch(graph)))
    }

    @Test(
        "tp_pointwise_conv2d_csr_s8_get_buffer_size equals the planned scratch of CSR rows over patches: 3x3 'same' and at dilation 2 (staging rows), 'valid' and 1x1 (none)",
        arguments: [([3, 3], [1, 1], Padding.same), ([3, 3], [2, 2], .valid), ([3, 3], [1, 1], .valid), ([1, 1], [1, 1], .valid)])
    func patchRowsScratchIsTheKernels(kernel: [Int], dilation: [Int], padding: Padding) throws {
        var weights = randomTensor(kernel + [6, 5], seed: 11)
        for i in weights.values.indices where i % 7 != 0 { weights.values[i] = 0 }
        let op = Op.conv(
            Convolution(
                filters: 5, kernelSize: kernel, strides: [1, 1], dilation: dilation, padding: padding, useBias: true,
                activation: .linear))
        let graph = try Self.quantizedModel(input: [9, 8, 6], op, weights: [.kernel: weights, .bias: randomTensor([5], seed: 12)])
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(graph)
        #expect(model.source.contains("tp_pointwise_conv2d_csr_s8("))
        let asked = try printed(
            "tp_pointwise_conv2d_csr_s8_get_buffer_size(&PARAMS)", in: model, paramsType: "tp_pointwise_csr_s8_params")
        #expect(asked == (try plannedScratch(graph, format: .csr)))
    }

    @Test(
        "tp_sum_s8_get_buffer_size equals the planned scratch of a residual Add: 2 KB of tables from 256 values, none below",
        arguments: [([16, 16, 4], 2048), ([4, 4, 4], 0)])
    func sumScratchIsTheKernels(input: [Int], expected: Int) throws {
        var g = GraphBuilder()
        let x = g.input(input)
        let channels = input[2]
        let branch = try g.add(
            Self.convolution(channels, kernel: [1, 1], stride: 1, dilation: [1, 1]), from: [x],
            weights: [.kernel: randomTensor([1, 1, channels, channels], seed: 8), .bias: randomTensor([channels], seed: 9)])
        try g.add(.merge(.add), from: [x, branch], name: "layer")
        let graph = g.graph()
        let t = randomTensor([4] + input, in: -2...2, seed: 10)
        let quantized = try Quantizer.quantize(
            graph, samples: try Calibration.samples(from: [NDArray(shape: t.shape, values: t.values)], for: graph))
        let model = try CodeGenerator(options: ConversionOptions(format: .dense)).generate(quantized)
        let asked = try printed("tp_sum_s8_get_buffer_size(&PARAMS)", in: model, paramsType: "tp_sum_s8_params")
        #expect(asked == expected)
        #expect(try plannedScratch(quantized) == expected)
    }

    @Test(
        "the bitmask and N:M convolutions' _get_buffer_size equals the planned scratch: a 3x3 filter of 6 channels and a dilated 5x1 of 4, pruned 2:4",
        arguments: [FormatChoice.bitmask, .nm], [([7, 7, 6], [3, 3], [1, 1]), ([8, 6, 4], [5, 1], [2, 1])])
    func sparseConvolutionScratchIsTheKernels(format: FormatChoice, shape: ([Int], [Int], [Int])) throws {
        let (input, kernel, dilation) = shape
        let channels = input[2], filters = 5
        // Two of every four consecutive inputs of each filter row kept: the pattern 2:4, which a
        // bitmask stores as well.
        var weights = randomTensor(kernel + [channels, filters], seed: 11)
        for i in weights.values.indices where (i / filters) % 4 >= 2 { weights.values[i] = 0 }
        let graph = try Self.quantizedModel(
            input: input, Self.convolution(filters, kernel: kernel, stride: 1, dilation: dilation),
            weights: [.kernel: weights, .bias: randomTensor([filters], seed: 12)])
        let model = try CodeGenerator(options: ConversionOptions(format: format)).generate(graph)
        let name = format == .nm ? "nm" : "bitmask"
        #expect(model.source.contains("tp_conv2d_\(name)_s8("))
        let asked = try printed("tp_conv2d_\(name)_s8_get_buffer_size(&PARAMS)", in: model)
        let planned = try plannedScratch(graph, format: format)
        #expect(asked == planned, "the kernel asks for \(asked ?? -1) bytes, the planner reserves \(planned)")
        #expect(planned == 4 * kernel[0] * kernel[1], "one position's tap offsets")
    }
}
