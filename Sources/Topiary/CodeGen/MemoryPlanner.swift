/// Places buffers with known lifetimes in one arena so that buffers alive at the same time
/// never overlap, and the arena is as small as a simple, deterministic method makes it.
///
/// The method is TensorFlow Lite's "greedy by size": buffers are placed largest first, each at
/// the lowest aligned offset where it overlaps no already placed buffer whose lifetime
/// intersects its own. Big buffers therefore claim the bottom of the arena and small,
/// short-lived ones fill the gaps they leave, which on feed-forward networks comes close to the
/// lower bound (the largest total alive at any one step). The planner knows nothing of graphs:
/// `ActivationPlan` turns a graph into requests.
public struct MemoryPlanner: Sendable {
    /// One buffer to place: `bytes` long, in use from step `first` through step `last`
    /// (inclusive; steps are the order nodes run in).
    public struct Request: Equatable, Sendable {
        public var bytes: Int
        public var first: Int
        public var last: Int
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
        // Largest first; ties by earlier start, then request order, so plans are reproducible.
        let order = requests.indices.sorted { a, b in
            if sizes[a] != sizes[b] { return sizes[a] > sizes[b] }
            if requests[a].first != requests[b].first { return requests[a].first < requests[b].first }
            return a < b
        }
        var offsets = [Int](repeating: 0, count: requests.count)
        var placed: [Int] = []
        for index in order {
            let size = sizes[index]
            // Live neighbours, lowest first; take the first gap between them that fits.
            let neighbours =
                placed
                .filter { requests[$0].overlapsInTime(requests[index]) && sizes[$0] > 0 }
                .sorted { offsets[$0] != offsets[$1] ? offsets[$0] < offsets[$1] : $0 < $1 }
            var candidate = 0
            if size > 0 {
                for other in neighbours {
                    if candidate + size <= offsets[other] { break }
                    candidate = max(candidate, offsets[other] + sizes[other])
                }
            }
            offsets[index] = candidate
            placed.append(index)
        }
        let peak = requests.indices.map { offsets[$0] + sizes[$0] }.max() ?? 0
        return Plan(offsets: offsets, peakBytes: peak, naiveBytes: sizes.reduce(0, +))
    }

    /// `bytes` rounded up to the alignment.
    public func align(_ bytes: Int) -> Int {
        (bytes + alignment - 1) / alignment * alignment
    }
}
