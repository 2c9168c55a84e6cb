import Testing
@testable import Topiary
import TopiaryTestSupport

/// Pruned sample networks whose one-group convolutions, 3x3 and 1D windows included, run as
/// CSR rows over four positions' patches
/// (`tp_pointwise_conv2d_csr_s8`): the generated C against the Swift integer reference on every
/// test digit, under AddressSanitizer and UndefinedBehaviorSanitizer.
@Suite("int8 C parity of CSR rows over patches")
struct PatchRowsParityTests {
    @Test(
        "the digits CNN (3x3 over 1 and 16 channels), the 1D CNN (3 taps, 'causal' and 'valid') and the residual CNN (3x3 and 1x1) at 90% run every convolution on patch rows with zero mismatches",
        arguments: [("cnn", 2), ("conv1d", 2), ("residual", 4)])
    func prunedConvolutionsRunPatchRows(_ name: String, convolutions: Int) throws {
        let graph = try Samples.int8Compressed(name, sparsity: 0.9)
        let model = try CodeGenerator(options: ConversionOptions(format: .csr)).generate(graph)
        #expect(callCount(of: "tp_pointwise_conv2d_csr_s8", in: model.source) == convolutions)
        #expect(callCount(of: "tp_conv2d_csr_s8", in: model.source) == 0)
        let report = try Int8ParityTests.verify(graph, model: name, format: .csr, sanitize: true)
        #expect(report.passed, "\(name): \(report)")
    }
}
