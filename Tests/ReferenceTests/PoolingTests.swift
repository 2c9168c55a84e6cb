import Testing
import Topiary
import TopiaryTestSupport

@Suite("Pooling")
struct PoolingTests {
    func pool(_ kind: PoolKind, _ size: [Int], strides: [Int]? = nil, padding: Padding) -> Op {
        .pool(Pooling(kind: kind, poolSize: size, strides: strides ?? size, padding: padding))
    }

    @Test func sameAverageDividesByInBoundsPositions() throws {
        // 3×3 input 1…9, 2×2 pool stride 2 'same': the padding is after, so windows hold
        // 4, 2, 2 and 1 real values.
        let y = try GraphBuilder.run(pool(.average, [2, 2], padding: .same), input: [3, 3, 1], iota([9], from: 1).values)
        #expect(y.shape == [2, 2, 1])
        #expect(y.values == [3, 4.5, 7.5, 9])
    }

    @Test func sameMaxIgnoresPadding() throws {
        // All values negative: a zero from the padding must never win.
        let y = try GraphBuilder.run(pool(.max, [2, 2], padding: .same), input: [3, 3, 1], iota([9], from: -9).values)
        #expect(y.values == [-5, -4, -2, -1])
    }

    @Test func validOverlappingWindows() throws {
        let y = try GraphBuilder.run(pool(.average, [3], strides: [2], padding: .valid), input: [5, 1], [1, 2, 3, 4, 5])
        #expect(y.values == [2, 4])
        let m = try GraphBuilder.run(pool(.max, [3], strides: [2], padding: .valid), input: [5, 2], [1, 0, 5, 0, 2, 9, 3, 0, 1, 0])
        #expect(m.values == [5, 9, 3, 9])
    }

    @Test func globalPoolingReducesEverySpatialPosition() throws {
        let x = iota([2, 2, 2]).values  // channel 0: 0, 2, 4, 6; channel 1: 1, 3, 5, 7
        let avg = try GraphBuilder.run(.globalPool(GlobalPooling(kind: .average, rank: 2, keepDims: false)), input: [2, 2, 2], x)
        #expect(avg.shape == [2])
        #expect(avg.values == [3, 4])
        let max = try GraphBuilder.run(.globalPool(GlobalPooling(kind: .max, rank: 2, keepDims: true)), input: [2, 2, 2], x)
        #expect(max.shape == [1, 1, 2])
        #expect(max.values == [6, 7])
        let oneD = try GraphBuilder.run(.globalPool(GlobalPooling(kind: .max, rank: 1, keepDims: false)), input: [3, 1], [-3, -1, -2])
        #expect(oneD.values == [-1])
    }
}
