import Foundation
import Testing
@testable import Topiary
import TopiaryTestSupport

/// Every layer of the zoo quantized to int8 (calibrated on its own inputs) and converted:
/// lookup-table activations, softmax on any axis, merges, concatenation, padding, cropping,
/// up-sampling, permutation, pooling of every kind, depthwise and separable convolutions,
/// integer recurrent layers, and the layers kept in float (PReLU, recurrent layers with a hard
/// sigmoid). The C must agree exactly with the Swift
/// integer reference.
@Suite("int8 zoo parity")
struct ZooParityTests {
    @Test("zero mismatches", arguments: SampleFolder.int8ZooEntries)
    func parity(_ entry: String) throws {
        let sample = SampleFolder.zoo(entry)
        let report = try ParityHarness().verify(try sample.int8Graph(), inputs: try sample.inputs())
        #expect(report.passed, "\(entry): \(report)")
    }
}
