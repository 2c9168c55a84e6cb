import Testing
@testable import Topiary
import TopiaryTestSupport

/// Which layers store only their channels with weights (`LiveChannels`), and what the C then
/// needs to give each dead channel its output.
@Suite("Live channels: dead filters left out of the stored weights")
struct LiveChannelsTests {
    /// A layer of `channels` rows of 4 weights, the rows `dead` all zero, biases and
    /// multipliers distinct per channel, clamped as a ReLU.
    static func layer(channels: Int, dead: Set<Int>) -> QuantizedLayer {
        let weights: [Int8] = (0..<channels).flatMap { c in dead.contains(c) ? [0, 0, 0, 0] : [Int8(c % 5) - 2, 3, 0, -7] }
        return QuantizedLayer(
            outputChannels: channels, rowLength: 4, weights: weights, weightScales: (0..<channels).map { 0.01 * Float($0 + 1) },
            bias: (0..<channels).map { Int32($0 * 997 - 3000) },
            requantization: (0..<channels).map { Requantization(multiplier: 1_300_000_000 + Int32($0) * 1000, shift: -3 - Int32($0 % 4)) },
            inputZeroPoint: 5, outputZeroPoint: -20, outputMin: -20, outputMax: 127)
    }

    /// One same-padded, stride-1 convolution over `input` with a random `kernel` (`[kh, kw,
    /// channels, filters]`, from `seed`; its bias from `seed + 1`) whose filters that `isDead`
    /// picks are all zero.
    static func convolution(input: [Int], kernel shape: [Int], seed: UInt64, isDead: (Int) -> Bool) throws -> Graph {
        let filters = shape[3]
        var kernel = randomTensor(shape, seed: seed)
        for i in kernel.values.indices where isDead(i % filters) { kernel.values[i] = 0 }
        let convolution = Convolution(
            filters: filters, kernelSize: Array(shape[0..<2]), strides: [1, 1], dilation: [1, 1], padding: .same, useBias: true,
            activation: .linear)
        var g = GraphBuilder()
        g.input(input)
        try g.add(.conv(convolution), weights: [.kernel: kernel, .bias: randomTensor([filters], seed: seed + 1)], name: "conv")
        return g.graph()
    }

    @Test("the mask marks the channels with weights, and each dead channel's constant is its bias requantized and clamped")
    func maskAndConstants() throws {
        let layer = Self.layer(channels: 11, dead: [0, 3, 4, 10])
        let live = try #require(LiveChannels(layer))
        #expect(live.channels == [1, 2, 5, 6, 7, 8, 9])
        #expect(live.mask == [0b1110_0110, 0b0000_0011])
        let expected = [0, 3, 4, 10].map { c in
            FixedPoint.requantize(layer.bias[c], layer.requantization[c], zeroPoint: -20, low: -20, high: 127)
        }
        #expect(live.constants == expected)
        #expect(expected.contains(-20) && expected.contains { $0 > -20 })
        let stored = live.layer(of: layer)
        #expect(stored.outputChannels == 7)
        #expect(stored.weights == live.channels.flatMap { layer.row($0) })
        #expect(stored.bias == live.channels.map { layer.bias[$0] })
        #expect(stored.requantization == live.channels.map { layer.requantization[$0] })
    }

    @Test("a layer whose channels all have weights, or none has, has no live-channel storage")
    func noDeadOrAllDead() {
        #expect(LiveChannels(Self.layer(channels: 6, dead: [])) == nil)
        #expect(LiveChannels(Self.layer(channels: 6, dead: Set(0..<6))) == nil)
    }

    @Test("one dead filter among 64 over 144 positions stays stored: spreading the outputs costs more than its row saves")
    func oneDeadFilterIsNotWorthSpreading() throws {
        let graph = try Self.convolution(input: [12, 12, 64], kernel: [1, 1, 64, 64], seed: 51) { $0 == 7 }
        let quantized = try quantizedInt8(graph, calibratedOn: randomSamples([4, 12, 12, 64], seed: 53))
        let layer = try #require(CodeGenerator(options: ConversionOptions()).generate(quantized).layers.first)
        #expect(layer.storedChannels == nil)
        // With most filters dead the same layer stores only the live ones, for every goal.
        let sparse = try Self.convolution(input: [12, 12, 64], kernel: [1, 1, 64, 64], seed: 51) { $0 == 7 || $0 >= 8 }
        let quantizedSparse = try quantizedInt8(sparse, calibratedOn: randomSamples([4, 12, 12, 64], seed: 53))
        for goal in OptimizationGoal.allCases {
            let stored = try CodeGenerator(options: ConversionOptions(optimize: goal)).generate(quantizedSparse).layers.first
            #expect(stored?.storedChannels == 7, "\(goal)")
        }
    }

    @Test(
        "one dead filter among 8 over 2,304 positions stays stored: spreading a narrow layer's outputs costs a fixed amount per position on top of its values"
    )
    func narrowLayerIsNotWorthSpreading() throws {
        // The visual wake words model's first convolution at 90%: 8 filters of 3x3x3, one dead.
        let graph = try Self.convolution(input: [48, 48, 3], kernel: [3, 3, 3, 8], seed: 61) { $0 == 7 }
        let quantized = try quantizedInt8(graph, calibratedOn: randomSamples([2, 48, 48, 3], seed: 63))
        for goal in [OptimizationGoal.speed, .balanced] {
            let layer = try #require(CodeGenerator(options: ConversionOptions(optimize: goal)).generate(quantized).layers.first)
            #expect(layer.storedChannels == nil, "\(goal)")
        }
    }
}
