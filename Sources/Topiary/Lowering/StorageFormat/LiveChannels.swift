/// The output channels of an int8 layer that have weights, when some have none (a filter
/// pruned whole, or trained to zero): the layer can store only the rows of those channels, in
/// any format, and run as a layer of those channels alone; `tp_spread_channels_s8` then puts
/// each output where its channel goes and gives every channel without weights its constant
/// output, its requantized bias (a row of zeros adds nothing to it).
///
/// The MLPerf Tiny visual wake words model is built so: in its later pointwise layers most
/// filters are all zero (71 of 128 in `conv2d_7`), and the others dense enough that a dense
/// product of the live rows beats any sparse walk of all of them.
struct LiveChannels: Equatable, Sendable {
    /// The channels with weights, in order.
    let channels: [Int]
    /// Bit `c % 8` of byte `c / 8` set when channel `c` has weights.
    let mask: [UInt8]
    /// The output of each channel without weights, in channel order, the same at every
    /// position.
    let constants: [Int8]

    /// The live channels of `layer`, or nil when every channel has weights or none has.
    init?(_ layer: QuantizedLayer) {
        let live = (0..<layer.outputChannels).filter { c in layer.row(c).contains { $0 != 0 } }
        guard !live.isEmpty, live.count < layer.outputChannels else { return nil }
        channels = live
        var mask = [UInt8](repeating: 0, count: (layer.outputChannels + 7) / 8)
        for c in live { mask[c / 8] |= 1 << UInt8(c % 8) }
        self.mask = mask
        let liveSet = Set(live)
        constants = (0..<layer.outputChannels).filter { !liveSet.contains($0) }.map { c in
            FixedPoint.requantize(
                layer.bias[c], layer.requantization[c], zeroPoint: layer.outputZeroPoint, low: layer.outputMin, high: layer.outputMax)
        }
    }

    /// `layer` restricted to the live channels: their rows, scales, biases and multipliers.
    func layer(of layer: QuantizedLayer) -> QuantizedLayer {
        QuantizedLayer(
            outputChannels: channels.count, rowLength: layer.rowLength, weights: channels.flatMap { layer.row($0) },
            weightScales: channels.map { layer.weightScales[$0] }, bias: channels.map { layer.bias[$0] },
            requantization: channels.map { layer.requantization[$0] }, inputZeroPoint: layer.inputZeroPoint,
            outputZeroPoint: layer.outputZeroPoint, outputMin: layer.outputMin, outputMax: layer.outputMax)
    }

    /// Bytes of the mask and the constant outputs.
    var bytes: Int { mask.count + constants.count }
}
