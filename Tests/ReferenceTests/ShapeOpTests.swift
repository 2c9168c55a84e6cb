import Testing
import Topiary
import TopiaryTestSupport

@Suite("Shape ops")
struct ShapeOpTests {
    @Test func flattenAndReshapeKeepRowMajorOrder() throws {
        let x = iota([2, 3]).values
        #expect(try GraphBuilder.run(.flatten, input: [2, 3], x) == Tensor(shape: [6], values: x))
        #expect(try GraphBuilder.run(.reshape(targetShape: [3, 2]), input: [2, 3], x) == Tensor(shape: [3, 2], values: x))
    }

    @Test func permute() throws {
        let y = try GraphBuilder.run(.move(.permute(dims: [1, 0])), input: [2, 3], iota([6]).values)
        #expect(y == Tensor(shape: [3, 2], values: [0, 3, 1, 4, 2, 5]))
        // [2, 3, 4] → axes (2, 0, 1): y[k, i, j] = x[i, j, k].
        let z = try GraphBuilder.run(.move(.permute(dims: [2, 0, 1])), input: [2, 3, 4], iota([24]).values)
        #expect(z.shape == [4, 2, 3])
        #expect(z.values[1 * 6 + 1 * 3 + 2] == Float(1 * 12 + 2 * 4 + 1))
    }

    @Test func zeroPaddingAsymmetric() throws {
        let y = try GraphBuilder.run(.move(.zeroPadding(padding: [Pair(1, 0), Pair(0, 2)])), input: [2, 2, 1], [1, 2, 3, 4])
        #expect(y.shape == [3, 4, 1])
        #expect(y.values == [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0])
        let oneD = try GraphBuilder.run(.move(.zeroPadding(padding: [Pair(2, 1)])), input: [2, 2], [1, 2, 3, 4])
        #expect(oneD.values == [0, 0, 0, 0, 1, 2, 3, 4, 0, 0])
    }

    @Test func cropping() throws {
        let y = try GraphBuilder.run(.move(.cropping(cropping: [Pair(1, 0), Pair(0, 1)])), input: [3, 3, 1], iota([9]).values)
        #expect(y == Tensor(shape: [2, 2, 1], values: [3, 4, 6, 7]))
        let oneD = try GraphBuilder.run(.move(.cropping(cropping: [Pair(1, 2)])), input: [5, 1], iota([5]).values)
        #expect(oneD.values == [1, 2])
    }

    @Test func reverseFlipsOneAxisKeepingTheRows() throws {
        let time = try GraphBuilder.run(.move(.reverse(axis: 0)), input: [3, 2], iota([6]).values)
        #expect(time == Tensor(shape: [3, 2], values: [4, 5, 2, 3, 0, 1]))
        let last = try GraphBuilder.run(.move(.reverse(axis: 1)), input: [2, 3], iota([6]).values)
        #expect(last == Tensor(shape: [2, 3], values: [2, 1, 0, 5, 4, 3]))
    }

    @Test func upSamplingRepeatsNearest() throws {
        let y = try GraphBuilder.run(.move(.upSampling(size: [2, 3])), input: [1, 2, 1], [1, 2])
        #expect(y.shape == [2, 6, 1])
        #expect(y.values == [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
        let oneD = try GraphBuilder.run(.move(.upSampling(size: [2])), input: [2, 2], [1, 2, 3, 4])
        #expect(oneD.values == [1, 2, 1, 2, 3, 4, 3, 4])
    }

    @Test func concatenateAlongFirstAndLastAxes() throws {
        for (axis, expected) in [(0, [Float](arrayLiteral: 0, 1, 2, 3, 10, 11)), (1, [0, 1, 10, 2, 3, 11])] {
            var builder = GraphBuilder()
            let a = builder.input([2, 2])
            let b = builder.input(axis == 0 ? [1, 2] : [2, 1])
            try builder.add(.concatenate(axis: axis), from: [a, b])
            let engine = try FloatInference(graph: builder.graph())
            let other = axis == 0 ? Tensor(shape: [1, 2], values: [10, 11]) : Tensor(shape: [2, 1], values: [10, 11])
            let y = try engine.run([iota([2, 2]), other])[0]
            #expect(y.values == expected, "axis \(axis)")
        }
    }
}
