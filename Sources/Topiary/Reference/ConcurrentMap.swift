import Dispatch

/// `body(i)` for every `i` in `0..<count`, spread over the machine's cores; the results in
/// index order.
func concurrentMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let results = ConcurrentSlots<T?>(count: count, initial: nil)
    DispatchQueue.concurrentPerform(iterations: count) { results[$0] = body($0) }
    return results.values.map { $0! }
}

/// `body(i)` for every `i` in `0..<count`, spread over the machine's cores; the results in
/// index order. When calls fail, the lowest failing index and its error go through `failure`
/// and that is thrown, so which failure is reported does not depend on the workers' timing.
func concurrentMap<T>(
    _ count: Int, _ body: @Sendable (Int) throws -> T, failing failure: (_ index: Int, _ error: any Error) -> any Error
) throws -> [T] {
    try concurrentMap(count) { i in Result { try body(i) } }.enumerated().map { i, result in
        do { return try result.get() } catch { throw failure(i, error) }
    }
}

/// Fixed storage that concurrent workers fill, each writing only its own indices; read back
/// once they have all finished.
private final class ConcurrentSlots<Element>: @unchecked Sendable {
    /// Raw storage rather than an array property, so concurrent writes to distinct indices
    /// do not count as overlapping accesses to one variable.
    private let storage: UnsafeMutableBufferPointer<Element>

    init(count: Int, initial: Element) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: initial)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    subscript(index: Int) -> Element {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    var values: [Element] { Array(storage) }
}
