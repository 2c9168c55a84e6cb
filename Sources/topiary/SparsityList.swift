import Foundation
import ArgumentParser

/// A comma-separated list of sparsities (`0.5,0.7,0.9`), each a fraction in (0, 1).
enum SparsityList {
    static func parse(_ text: String, option: String) throws -> [Double] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.isEmpty else { throw ValidationError("\(option) needs at least one sparsity, e.g. 0.5,0.7,0.9") }
        return try items.map { item in
            guard let value = Double(item), value > 0, value < 1 else {
                throw ValidationError("\(option): '\(item)' is not a sparsity between 0 and 1 (exclusive), e.g. 0.8")
            }
            return value
        }
    }
}
