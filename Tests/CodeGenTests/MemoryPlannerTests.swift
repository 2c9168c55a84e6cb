import Testing
@testable import Topiary
import TopiaryTestSupport

@Suite("Memory planner")
struct MemoryPlannerTests {
    typealias Request = MemoryPlanner.Request

    /// No two buffers alive at a common step may overlap in memory.
    func expectNoConflicts(_ requests: [Request], _ plan: MemoryPlanner.Plan, alignment: Int = 8) {
        for a in requests.indices {
            #expect(plan.offsets[a] % alignment == 0, "offset \(plan.offsets[a]) is not aligned")
            #expect(plan.offsets[a] + requests[a].bytes <= plan.peakBytes)
            for b in requests.indices where b > a && requests[a].overlapsInTime(requests[b]) {
                let disjoint =
                    plan.offsets[a] + requests[a].bytes <= plan.offsets[b] || plan.offsets[b] + requests[b].bytes <= plan.offsets[a]
                #expect(disjoint, "buffers \(a) and \(b) are alive together but overlap")
            }
        }
    }

    @Test("buffers with disjoint lifetimes share memory")
    func disjointLifetimesShare() {
        let requests = [Request(bytes: 100, first: 0, last: 1), Request(bytes: 100, first: 2, last: 3)]
        let plan = MemoryPlanner().plan(requests)
        #expect(plan.offsets == [0, 0])
        #expect(plan.peakBytes == 104)
        #expect(plan.naiveBytes == 208)
    }

    @Test("buffers alive together do not overlap")
    func overlappingLifetimesDoNot() {
        let requests = [
            Request(bytes: 64, first: 0, last: 2), Request(bytes: 32, first: 1, last: 3), Request(bytes: 16, first: 2, last: 2),
        ]
        let plan = MemoryPlanner().plan(requests)
        expectNoConflicts(requests, plan)
        #expect(plan.peakBytes == 112)
    }

    @Test("a chain needs only its two largest neighbours at once")
    func chain() {
        // Node i's output lives from step i to step i+1 (read by the next node).
        let sizes = [400, 1600, 800, 200, 40]
        let requests = sizes.enumerated().map { Request(bytes: $1, first: $0, last: $0 + 1) }
        let plan = MemoryPlanner().plan(requests)
        expectNoConflicts(requests, plan)
        let lowerBound = zip(sizes, sizes.dropFirst()).map { $0 + $1 }.max()!
        #expect(plan.peakBytes == lowerBound)
        #expect(plan.peakBytes < plan.naiveBytes)
    }

    @Test("peak never exceeds the naive sum, and respects every lifetime", arguments: 0..<20)
    func randomRequests(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let requests = (0..<30).map { _ -> Request in
            let first = Int.random(in: 0..<20, using: &generator)
            return Request(
                bytes: Int.random(in: 1...500, using: &generator), first: first,
                last: first + Int.random(in: 0..<6, using: &generator))
        }
        let plan = MemoryPlanner().plan(requests)
        expectNoConflicts(requests, plan)
        #expect(plan.peakBytes <= plan.naiveBytes)
        // Never below what is alive at the busiest step.
        let busiest = (0..<26).map { step in
            requests.filter { $0.first <= step && step <= $0.last }.map { MemoryPlanner().align($0.bytes) }.reduce(0, +)
        }.max()!
        #expect(plan.peakBytes >= busiest)
    }

    @Test("offsets honour the alignment", arguments: [4, 8, 16])
    func alignment(_ alignment: Int) {
        let requests = [Request(bytes: 10, first: 0, last: 1), Request(bytes: 6, first: 0, last: 1), Request(bytes: 3, first: 1, last: 2)]
        let plan = MemoryPlanner(alignment: alignment).plan(requests)
        expectNoConflicts(requests, plan, alignment: alignment)
        #expect(plan.peakBytes % alignment == 0)
    }

    @Test("the same requests always give the same plan")
    func deterministic() {
        let requests = (0..<12).map { Request(bytes: 16 * (($0 * 7) % 5 + 1), first: $0 / 2, last: $0 / 2 + $0 % 3) }
        #expect(MemoryPlanner().plan(requests) == MemoryPlanner().plan(requests))
    }

    /// `request` linked to request `earlier`, `offset` bytes from it.
    func linked(_ request: Request, to earlier: Int, at offset: Int) -> Request {
        var linked = request
        linked.linkedTo = earlier
        linked.linkOffset = offset
        return linked
    }

    @Test("linked requests keep their offsets and may share bytes; each part keeps clear of others only at its own steps")
    func linkedRequests() {
        // A dies where B, 8 bytes before it, begins; C is alive with B only.
        let requests = [
            Request(bytes: 64, first: 0, last: 1), linked(Request(bytes: 64, first: 1, last: 2), to: 0, at: -8),
            Request(bytes: 16, first: 2, last: 3),
        ]
        let plan = MemoryPlanner().plan(requests)
        #expect(plan.offsets == [8, 0, 64])
        #expect(plan.peakBytes == 80)
    }

    @Test("a linked chain drifting downwards frees its upper part for buffers alive after it")
    func driftingChainFreesItsTop() {
        // A, then B 32 bytes lower, then C 32 lower again: 128 bytes of extent, 96 at any step.
        // D, alive with C only, takes the 32 bytes above C that A held.
        let requests = [
            Request(bytes: 64, first: 0, last: 1), linked(Request(bytes: 64, first: 1, last: 2), to: 0, at: -32),
            linked(Request(bytes: 64, first: 2, last: 3), to: 1, at: -32), Request(bytes: 32, first: 3, last: 3),
        ]
        let plan = MemoryPlanner().plan(requests)
        #expect(plan.offsets == [64, 32, 0, 64])
        #expect(plan.peakBytes == 128)
    }
}
