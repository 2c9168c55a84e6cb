import Testing
import Topiary
import TopiaryTestSupport

@Suite("Convolution")
struct ConvolutionTests {
    func conv(
        _ kernelSize: [Int], filters: Int = 1, strides: [Int]? = nil, dilation: [Int]? = nil, padding: Padding,
        useBias: Bool = false
    ) -> Op {
        .conv(
            Convolution(
                filters: filters, kernelSize: kernelSize, strides: strides ?? kernelSize.map { _ in 1 },
                dilation: dilation ?? kernelSize.map { _ in 1 }, padding: padding, useBias: useBias,
                activation: .linear))
    }

    @Test func samePaddingGeometryFollowsTensorFlow() {
        // ceil(in / s) outputs; total padding max((out − 1)·s + k_eff − in, 0), smaller half first.
        let w = Window(inputLength: 4, kernel: 3, stride: 2, padding: .same)
        #expect(w.outputLength == 2)
        #expect(w.padBefore == 0)
        #expect(Window(inputLength: 5, kernel: 4, stride: 1, padding: .same).padBefore == 1)
        #expect(Window(inputLength: 5, kernel: 3, stride: 1, dilation: 2, padding: .same).padBefore == 2)
        #expect(Window(inputLength: 5, kernel: 3, stride: 1, dilation: 2, padding: .causal).padBefore == 4)
        #expect(Window(inputLength: 7, kernel: 3, stride: 3, padding: .valid).outputLength == 2)
    }

    @Test func sameConvolutionCountsInBoundsNeighbours() throws {
        let y = try GraphBuilder.run(
            conv([3, 3], padding: .same), input: [3, 3, 1], [Float](repeating: 1, count: 9),
            weights: [.kernel: Tensor(filling: 1, shape: [3, 3, 1, 1])])
        #expect(y.values == [4, 6, 4, 6, 9, 6, 4, 6, 4])
    }

    @Test func stridedSamePadsAfterWhenTheTotalIsOdd() throws {
        // 4×4 input, 3×3 window, stride 2: one row and column of padding, all of it after.
        let y = try GraphBuilder.run(
            conv([3, 3], strides: [2, 2], padding: .same), input: [4, 4, 1], iota([16]).values,
            weights: [.kernel: Tensor(filling: 1, shape: [3, 3, 1, 1])])
        #expect(y.shape == [2, 2, 1])
        #expect(y.values == [45, 39, 66, 50])
    }

    @Test func channelsMixThroughTheKernelMatrix() throws {
        // A 1×1 convolution is a matrix product per pixel: [1, 2] · [[1, 2], [3, 4]] + [10, 20].
        let y = try GraphBuilder.run(
            conv([1, 1], filters: 2, padding: .valid, useBias: true), input: [1, 2, 2], [1, 2, 0, 1],
            weights: [
                .kernel: Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4]),
                .bias: Tensor(shape: [2], values: [10, 20]),
            ])
        #expect(y.values == [17, 30, 13, 24])
    }

    @Test func causalConv1DOnlyLooksBack() throws {
        let kernel = Tensor(shape: [2, 1, 1], values: [1, 10])
        // y[t] = x[t − d]·1 + x[t]·10, with zeros before the start.
        let plain = try GraphBuilder.run(conv([2], padding: .causal), input: [3, 1], [1, 2, 3], weights: [.kernel: kernel])
        #expect(plain.values == [10, 21, 32])
        let dilated = try GraphBuilder.run(
            conv([2], dilation: [2], padding: .causal), input: [4, 1], [1, 2, 3, 4],
            weights: [.kernel: kernel])
        #expect(dilated.values == [10, 20, 31, 42])
    }

    @Test func validDilatedConv1D() throws {
        let y = try GraphBuilder.run(
            conv([2], dilation: [2], padding: .valid), input: [4, 1], [1, 2, 3, 4],
            weights: [.kernel: Tensor(shape: [2, 1, 1], values: [1, 10])])
        #expect(y.values == [31, 42])
    }

    @Test func stridedValidConv1D() throws {
        let y = try GraphBuilder.run(
            conv([2], strides: [3], padding: .valid), input: [7, 1], [1, 2, 3, 4, 5, 6, 7],
            weights: [.kernel: Tensor(shape: [2, 1, 1], values: [1, 1])])
        #expect(y.values == [3, 9])
    }

    @Test func depthwiseMultiplierOrdersChannelsByInputThenMultiplier() throws {
        let op = Op.depthwiseConv(
            DepthwiseConvolution(
                depthMultiplier: 2, kernelSize: [1, 1], strides: [1, 1],
                dilation: [1, 1], padding: .valid, useBias: true, activation: .linear))
        let y = try GraphBuilder.run(
            op, input: [1, 1, 2], [2, 3],
            weights: [
                .depthwiseKernel: Tensor(shape: [1, 1, 2, 2], values: [1, 10, 100, 1000]),
                .bias: Tensor(shape: [4], values: [1, 1, 1, 1]),
            ])
        #expect(y.values == [3, 21, 301, 3001])
    }

    @Test func depthwiseSameKeepsChannelsApart() throws {
        let op = Op.depthwiseConv(
            DepthwiseConvolution(
                depthMultiplier: 1, kernelSize: [3], strides: [1], dilation: [1],
                padding: .same, useBias: false, activation: .linear))
        // Channel 0 sums its neighbours, channel 1 takes the left neighbour only.
        let y = try GraphBuilder.run(
            op, input: [3, 2], [1, 10, 2, 20, 3, 30],
            weights: [.depthwiseKernel: Tensor(shape: [3, 2, 1], values: [1, 1, 1, 0, 1, 0])])
        #expect(y.values == [3, 0, 6, 10, 5, 20])
    }

    @Test func separableIsDepthwiseThenPointwise() throws {
        let op = Op.separableConv(
            SeparableConvolution(
                filters: 1, depthMultiplier: 1, kernelSize: [1, 1], strides: [1, 1],
                dilation: [1, 1], padding: .valid, useBias: true, activation: .plainRelu))
        let weights: [WeightRole: Tensor] = [
            .depthwiseKernel: Tensor(shape: [1, 1, 2, 1], values: [2, 3]),
            .pointwiseKernel: Tensor(shape: [1, 1, 2, 1], values: [1, -1]),
            .bias: Tensor(shape: [1], values: [0.5]),
        ]
        // Pixel [1, 1] → depthwise [2, 3] → pointwise 2 − 3 + 0.5 = −0.5 → relu 0; pixel [4, 1] → 8 − 3 + 0.5.
        let y = try GraphBuilder.run(op, input: [1, 2, 2], [1, 1, 4, 1], weights: weights)
        #expect(y.values == [0, 5.5])
    }

    @Test func aWindowLargerThanTheInputIsAGraphError() throws {
        var builder = GraphBuilder()
        builder.input([2, 1])
        builder.nodes.append(
            Node(
                name: "conv", kerasClass: "Conv1D", op: conv([3], padding: .valid), inputs: [0],
                outputShape: [1, 1], weights: [.kernel: Tensor(zeros: [3, 1, 1])]))
        let error = #expect(throws: InferenceError.self) { try FloatInference(graph: builder.graph()) }
        #expect(error?.layer == "conv")
    }
}
