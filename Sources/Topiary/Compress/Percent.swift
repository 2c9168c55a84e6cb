import Foundation

/// A fraction written as a percentage with no more digits than it needs (`0.8` → `80%`,
/// `0.925` → `92.5%`), for tables and progress lines.
struct Percent: CustomStringConvertible {
    let fraction: Double

    init(_ fraction: Double) { self.fraction = fraction }

    var description: String {
        let value = fraction * 100
        for digits in 0...2 {
            let text = String(format: "%.\(digits)f", value)
            if abs((Double(text) ?? value) - value) < 1e-9 { return text + "%" }
        }
        return String(format: "%.2f%%", value)
    }
}
