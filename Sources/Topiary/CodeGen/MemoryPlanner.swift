/// Places buffers with known lifetimes in one arena so that buffers alive at the same time
/// never overlap, and the arena is as small as a simple, deterministic method makes it.
///
/// The method is TensorFlow Lite's "greedy by size": buffers are placed largest first, each at
/// the lowest aligned offset where it overlaps no already placed buffer whose lifetime
/// intersects its own. Big buffers therefore claim the bottom of the arena and small,
/// short-lived ones fill the gaps they leave, which on feed-forward networks comes close to the
/// lower bound (the largest total alive at any one step). The planner knows nothing of graphs:
/// `ActivationPlan` turns a graph into requests.
///
/// A request may be linked to an earlier one (`Request.linkedTo`): it then sits at a fixed offset
/// from it and may share bytes with it, as a layer's output written over the input it
/// consumes. Linked requests are placed together, as one piece of their extent whose parts
/// each keep clear of the other buffers alive at their own steps only, so that the upper parts
/// of a chain that drifts downwards are free again once their tensors are dead.
public struct MemoryPlanner: Sendable {
    /// One buffer to place: `bytes` long, in use from step `first` through step `last`
    /// (inclusive; steps are the order nodes run in).
    public struct Request: Equatable, Sendable {
        public var bytes: Int
        public var first: Int
        public var last: Int
        /// When set, the index of an earlier request this buffer sits `linkOffset` bytes from
        /// (a multiple of the alignment) and may overlap, with every request linked with it:
        /// whoever links them vouches that those never hold live bytes at the same place and step.
        public var linkedTo: Int? = nil
        public var linkOffset = 0
        public init(bytes: Int, first: Int, last: Int) {
            precondition(bytes >= 0 && first <= last, "a buffer needs a size and first ≤ last")
            self.bytes = bytes
            self.first = first
            self.last = last
        }

        /// True when the two buffers are in use at some common step.
        func overlapsInTime(_ other: Request) -> Bool {
            first <= other.last && other.first <= last
        }
    }

    /// Where the requests went.
    public struct Plan: Equatable, Sendable {
        /// Byte offset of each request, in request order; a multiple of the alignment.
        public var offsets: [Int]
        /// Arena size: the highest end of any placed buffer, rounded up to the alignment.
        public var peakBytes: Int
        /// What one buffer per request, none shared, would take (aligned sizes summed): the
        /// figure the plan is measured against.
        public var naiveBytes: Int
    }

    /// Offsets and sizes are rounded up to this many bytes.
    public var alignment: Int

    public init(alignment: Int = 8) {
        precondition(alignment > 0, "alignment must be positive")
        self.alignment = alignment
    }

    public func plan(_ requests: [Request]) -> Plan {
        let sizes = requests.map { align($0.bytes) }
        // Each request's piece (the first request of its links) and its offset in that piece.
        var piece = Array(requests.indices)
        var relative = [Int](repeating: 0, count: requests.count)
        for (index, request) in requests.enumerated() {
            guard let earlier = request.linkedTo else { continue }
            precondition(earlier < index && request.linkOffset % alignment == 0, "a link goes to an earlier request, aligned")
            piece[index] = piece[earlier]
            relative[index] = relative[earlier] + request.linkOffset
        }
        let parts = Dictionary(grouping: requests.indices, by: { piece[$0] })
        let low = parts.mapValues { $0.map { relative[$0] }.min()! }
        let extent = parts.mapValues { members in members.map { relative[$0] + sizes[$0] }.max()! - low[members[0]]! }
        // Largest first; ties by earlier start, then request order, so plans are reproducible.
        let order = parts.keys.sorted { a, b in
            if extent[a]! != extent[b]! { return extent[a]! > extent[b]! }
            if requests[a].first != requests[b].first { return requests[a].first < requests[b].first }
            return a < b
        }
        var offsets = [Int](repeating: 0, count: requests.count)
        var placed: [Int] = []
        for first in order {
            let members = parts[first]!
            if members.count == 1 {
                offsets[first] = lowestOffset(first, requests: requests, sizes: sizes, offsets: offsets, placed: placed)
            } else {
                let base = lowestBase(
                    members, low: low[first]!, relative: relative, requests: requests, sizes: sizes, offsets: offsets, placed: placed)
                for member in members { offsets[member] = base + relative[member] }
            }
            placed += members
        }
        let peak = requests.indices.map { offsets[$0] + sizes[$0] }.max() ?? 0
        return Plan(offsets: offsets, peakBytes: peak, naiveBytes: sizes.reduce(0, +))
    }

    /// The lowest offset of request `index` where it overlaps no placed request alive at a
    /// common step: the first gap between its live neighbours, lowest first, that fits.
    private func lowestOffset(_ index: Int, requests: [Request], sizes: [Int], offsets: [Int], placed: [Int]) -> Int {
        let size = sizes[index]
        guard size > 0 else { return 0 }
        let neighbours =
            placed
            .filter { requests[$0].overlapsInTime(requests[index]) && sizes[$0] > 0 }
            .sorted { offsets[$0] != offsets[$1] ? offsets[$0] < offsets[$1] : $0 < $1 }
        var candidate = 0
        for other in neighbours {
            if candidate + size <= offsets[other] { break }
            candidate = max(candidate, offsets[other] + sizes[other])
        }
        return candidate
    }

    /// The lowest base of the linked `members` (each at `relative[member]` from it, the lowest
    /// at `low`) where no member overlaps a placed request alive at a common step. The lowest
    /// such base puts the piece at the bottom of the arena or one member just above a placed
    /// request, so only those bases are tried.
    private func lowestBase(
        _ members: [Int], low: Int, relative: [Int], requests: [Request], sizes: [Int], offsets: [Int], placed: [Int]
    ) -> Int {
        let contacts = members.filter { sizes[$0] > 0 }.map { member in
            (member, placed.filter { requests[$0].overlapsInTime(requests[member]) && sizes[$0] > 0 })
        }
        let bottom = -low
        let above = contacts.flatMap { member, neighbours in neighbours.map { offsets[$0] + sizes[$0] - relative[member] } }
        for base in Set([bottom] + above.filter { $0 > bottom }).sorted() {
            let fits = contacts.allSatisfy { member, neighbours in
                let start = base + relative[member], end = start + sizes[member]
                return neighbours.allSatisfy { end <= offsets[$0] || offsets[$0] + sizes[$0] <= start }
            }
            if fits { return base }
        }
        preconditionFailure("the base above every placed request fits")
    }

    /// `bytes` rounded up to the alignment.
    public func align(_ bytes: Int) -> Int {
        (bytes + alignment - 1) / alignment * alignment
    }
}
