/// Fixed storage that concurrent workers fill, each writing only its own indices; read back
/// once they have all finished.
final class ConcurrentSlots<Element>: @unchecked Sendable {
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
