import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// CSR convolutions of every shape the DS-CNN sample holds (a strided full convolution over
/// the padding and pointwise filters, which run four positions' patches per pass, depthwise
/// filters, which run channel by channel), its kernels keeping one weight in four, and a
/// convolution of patches of more than 255 values (four positions' patches, rows in segments)
/// before a depthwise one of multiplier 2, which keeps `tp_conv2d_csr_s8`, compiled for the
/// Cortex-M4 (the positions' inputs widened and packed on the DSP extension) and the Cortex-M0+
/// (portable gather): each output must equal the Swift integer reference bit for bit.
@Suite(.needsEmulator)
struct SparseConvolutionKernelTests {
    @Test(
        "CSR full, depthwise and pointwise convolutions of the DS-CNN sample are bit-exact with and without the DSP extension",
        arguments: CortexMTarget.withAndWithoutDSP)
    func dscnnConvolutionsAreBitExact(_ target: CortexMTarget) throws {
        let folder = repositoryRoot.appendingPathComponent("samples/models/dscnn")
        let network = EmulatedInt8Case(
            "the DS-CNN sample keeping one weight in four", graph: { try Self.keepingOneWeightInFour(folder) },
            inputs: { try ArrayFile.load(folder.appendingPathComponent("input.npy").path) }, format: .csr, limit: 3,
            expectSource: {
                #expect(callCount(of: "tp_pointwise_conv2d_csr_s8", in: $0) > 0 && callCount(of: "tp_depthwise_conv2d_csr_s8", in: $0) > 0)
            })
        try network.expectBitExact(on: target)
    }

    @Test(
        "CSR convolutions of patches longer than 255 values (in segments) and of depth multiplier 2 (windows gathered in pairs of positions) are bit-exact with and without the DSP extension",
        arguments: CortexMTarget.withAndWithoutDSP)
    func pairedWindowConvolutionsAreBitExact(_ target: CortexMTarget) throws {
        let network = EmulatedInt8Case(
            "a 3x3 convolution over 40 channels and a dilated depthwise one of multiplier 2", graph: Self.longPatches,
            inputs: {
                let t = randomTensor([3, 6, 6, 40], in: -2...2, seed: 31)
                return NDArray(shape: t.shape, values: t.values)
            }, format: .csr, limit: 3,
            expectSource: {
                #expect(callCount(of: "tp_pointwise_conv2d_csr_s8", in: $0) == 1 && callCount(of: "tp_conv2d_csr_s8", in: $0) == 1)
            })
        try network.expectBitExact(on: target)
    }

    /// A 3x3 convolution over 40 channels (patches of 360 values, two segments) at stride 2x1
    /// keeping one weight in 7, then a depthwise convolution of multiplier 2 dilated 1x2 keeping
    /// one in 3.
    static func longPatches() throws -> Graph {
        var g = GraphBuilder()
        g.input([6, 6, 40])
        try g.seededLongPatchConvolutions(seed: 32, keepConvolution: 7, keepDepthwise: 3)
        return g.graph()
    }

    /// The sample model in `folder` with every kernel keeping one weight in four.
    static func keepingOneWeightInFour(_ folder: URL) throws -> Graph {
        var graph = try KerasImporter().importGraph(modelPath: folder.appendingPathComponent("model.keras").path)
        for n in graph.nodes.indices {
            for (role, tensor) in graph.nodes[n].weights where tensor.shape.count > 1 {
                var kept = tensor
                for i in kept.values.indices where i % 4 != 1 { kept.values[i] = 0 }
                graph.nodes[n].weights[role] = kept
            }
        }
        return graph
    }
}
