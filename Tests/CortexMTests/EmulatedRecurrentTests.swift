import Foundation
import Testing
import TopiaryTestSupport

extension EmulatedCortexMTests {
    /// SimpleRNN (ReLU), GRU (reset after and before), a backwards LSTM stack, a
    /// Bidirectional GRU and an LSTM with Keras 2's hard sigmoid gates in integers, calibrated
    /// on their own test inputs.
    /// The Cortex-M4 build with its DSP extension (the recurrent product in `__smlad`) and
    /// without (`TOPIARY_NO_DSP`, the portable loops).
    static let builds = ["-mcpu=cortex-m4 -mthumb -mfloat-abi=soft", "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -DTOPIARY_NO_DSP"]

    @Test(
        "int8 recurrent models on the emulated Cortex-M4, with and without the DSP extension, are bit-exact with the integer reference",
        arguments: ["rnn8_simple_rnn_relu", "rnn8_gru", "rnn8_gru_keras2", "rnn8_lstm_stack", "rnn8_bigru", "rnn8_lstm_keras2_hard"], builds
    )
    func int8RecurrentModelIsBitExactWithTheIntegerReference(_ name: String, cpuFlags: String) throws {
        let model = "samples/models/\(name)/model.h5"
        let calibration = repositoryRoot.appendingPathComponent("samples/models/\(name)/input.npy")
        let options = ["--quantize", "int8", "--calibration", calibration.path]
        let emulated = try runOnEmulator(model: model, convertFlags: options.joined(separator: " "), cpuFlags: cpuFlags)
        let expected = try predicted(model: model, options: options)
        try #require(emulated.count == expected.count && !emulated.isEmpty)
        let mismatches = zip(emulated, expected).filter { got, want in got.map(\.bitPattern) != want.map(\.bitPattern) }.count
        #expect(mismatches == 0, "\(name): \(mismatches) of \(expected.count) samples differ")
    }
}
