/// Shape and size arithmetic that reports overflow instead of trapping.
///
/// Every size a file declares (an input of 2^31 × 2^31, a padding of 2^62, a reshape target)
/// goes through these before it is multiplied into an element count or an allocation, so a
/// hostile model ends with an error naming the layer rather than a silent crash.
public enum CheckedArithmetic {
    /// `a * b`, or nil when it overflows or either is negative.
    public static func product(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    /// The product of `values`, or nil when it overflows or one is negative.
    public static func product(_ values: [Int]) -> Int? {
        var total = 1
        for value in values {
            guard let next = product(total, value) else { return nil }
            total = next
        }
        return total
    }

    /// The sum of `values`, or nil when it overflows.
    public static func sum(_ values: Int...) -> Int? {
        var total = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { return nil }
            total = next
        }
        return total
    }
}

extension Array where Element == Int {
    /// Number of elements of a tensor of this shape, or nil when it overflows `Int` (or a
    /// dimension is negative).
    public var checkedElementCount: Int? { CheckedArithmetic.product(self) }
}
