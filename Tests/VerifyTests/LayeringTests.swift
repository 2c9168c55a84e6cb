import Foundation
import Testing
import TopiaryTestSupport

/// The library's folders depend one way, Graph ← Lowering ← Reference ← Compress ← CodeGen ←
/// Verify (README, Architecture): no source file names a type declared only in a folder to
/// its right.
@Suite("layering of the library's folders")
struct LayeringTests {
    static let order = ["Graph", "Lowering", "Reference", "Compress", "CodeGen", "Verify"]
    static let library = repositoryRoot.appendingPathComponent("Sources/Topiary")

    /// The Swift files under `folder`, with their text, comments dropped.
    static func sources(_ folder: String) throws -> [(path: String, text: String)] {
        let root = library.appendingPathComponent(folder)
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".swift") }.sorted().map { file in
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let code = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            return (folder + "/" + file, code.joined(separator: "\n"))
        }
    }

    /// Names of the types declared at the top level of `text`.
    static func declaredTypes(_ text: String) -> Set<String> {
        let pattern =
            #/(?m)^(?:public |internal |fileprivate |private )?(?:final )?(?:struct|enum|class|protocol|actor|typealias) +([A-Z]\w*)/#
        return Set(text.matches(of: pattern).map { String($0.output.1) })
    }

    /// Capitalised identifiers `text` uses.
    static func usedNames(_ text: String) -> Set<String> {
        Set(text.matches(of: #/\b[A-Z]\w*\b/#).map { String($0.output) })
    }

    @Test("no folder names a type that only a folder after it in Graph ← Lowering ← Reference ← Compress ← CodeGen ← Verify declares")
    func dependenciesRunOneWay() throws {
        var declared: [String: Set<String>] = [:]
        var files: [String: [(path: String, text: String)]] = [:]
        for folder in Self.order {
            files[folder] = try Self.sources(folder)
            declared[folder] = files[folder]!.reduce(into: Set<String>()) { $0.formUnion(Self.declaredTypes($1.text)) }
            #expect(!declared[folder]!.isEmpty, "no types found in \(folder)")
        }
        for (position, folder) in Self.order.enumerated() {
            let allowed = Self.order[...position].reduce(into: Set<String>()) { $0.formUnion(declared[$1]!) }
            let later = Self.order[(position + 1)...].reduce(into: Set<String>()) { $0.formUnion(declared[$1]!) }
                .subtracting(allowed)
            for file in files[folder]! {
                let violations = Self.usedNames(file.text).intersection(later).sorted()
                #expect(violations.isEmpty, "\(file.path) uses \(violations), declared in a folder after \(folder)")
            }
        }
    }
}
