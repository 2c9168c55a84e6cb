import Testing
import Topiary
import TopiaryTestSupport

/// A pruned depthwise-separable network through the whole pipeline: pruned, quantized to int8
/// and converted with `--format auto`, which stores its pruned depthwise layers as CSR rows for
/// the channel-by-channel kernel (`tp_depthwise_conv2d_csr_s8`); compiled for the host with the
/// sanitizers, the C must equal the Swift integer reference (what `topiary predict` computes)
/// on every test digit.
@Suite("Sparse depthwise layers: parity on the host")
struct SparseDepthwiseParityTests {
    @Test("dscnn at 90%: --format auto runs its depthwise layers channel by channel, bit-exact on every test digit")
    func prunedDepthwiseLayersAreBitExact() throws {
        let graph = try Samples.int8Compressed("dscnn", sparsity: 0.9)
        let model = try CodeGenerator(options: ConversionOptions()).generate(graph)
        #expect(model.layers.first { $0.layer == "dw" }?.format == .csr)
        #expect(callCount(of: "tp_depthwise_conv2d_csr_s8", in: model.source) >= 1)
        let inputs = try Samples.testData("dscnn").inputs
        let report = try ParityHarness(options: ConversionOptions(), sanitize: true).verify(graph, inputs: [inputs], reshape: true)
        #expect(report.samples == 360)
        #expect(report.passed, "\(report)")
        #expect(report.compilerOutput.isEmpty, "\(report.compilerOutput)")
    }
}
