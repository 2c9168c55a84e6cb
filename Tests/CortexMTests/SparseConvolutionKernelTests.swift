import Foundation
import Testing
import Topiary
import TopiaryTestSupport

/// CSR convolutions of every shape the DS-CNN sample holds (a strided full convolution over
/// the padding, depthwise filters: one input group per channel, pointwise filters, which run
/// four positions per pass), its kernels keeping one weight in four, compiled for the
/// Cortex-M4 (the positions' inputs widened and packed on the DSP extension) and the
/// Cortex-M0+ (portable gather): each output must equal the Swift integer reference bit for
/// bit.
@Suite(.needsEmulator)
struct SparseConvolutionKernelTests {
    @Test(
        "CSR full, depthwise and pointwise convolutions (windows gathered in pairs of positions, pointwise inputs in fours) are bit-exact with and without the DSP extension",
        arguments: CortexMTarget.withAndWithoutDSP)
    func dscnnConvolutionsAreBitExact(_ target: CortexMTarget) throws {
        let folder = repositoryRoot.appendingPathComponent("samples/models/dscnn")
        let network = EmulatedInt8Case(
            "the DS-CNN sample keeping one weight in four", graph: { try Self.keepingOneWeightInFour(folder) },
            inputs: { try ArrayFile.load(folder.appendingPathComponent("input.npy").path) }, format: .csr, limit: 3,
            expectSource: { #expect($0.contains("tp_conv2d_csr_s8(") && $0.contains("tp_pointwise_conv2d_csr_s8(")) })
        try network.expectBitExact(on: target)
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
