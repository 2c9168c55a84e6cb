import Foundation
import Testing
import TopiaryTestSupport

/// Damaged copies of real Keras files — truncated anywhere, bytes overwritten anywhere —
/// each end in exit status 0 (the damage missed everything read) or 1 with one error line,
/// within seconds: never a crash, a hang or a runaway allocation.
@Suite struct DamagedFileTests {
    struct Mutation: CustomTestStringConvertible, Sendable {
        var sample: String
        var config: String?
        var seed: UInt64
        var testDescription: String { "\(sample) seed \(seed)" }
    }

    static let mutations: [Mutation] = (0..<60).flatMap { seed -> [Mutation] in
        [
            Mutation(sample: "models/mlp/model.h5", seed: seed),
            Mutation(sample: "models/gru/model.h5", seed: seed),
            Mutation(sample: "models/mlp_weights/model.weights.h5", config: "models/mlp_weights/model.json", seed: seed),
        ]
    }

    /// Truncates (even seeds) or overwrites 1–8 random bytes (odd seeds), biased toward the
    /// first 4 KiB where the superblock and root object headers live.
    static func damage(_ bytes: [UInt8], seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        if seed % 2 == 0 {
            return Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
        }
        var copy = bytes
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let range = Bool.random(using: &random) ? 0..<min(4096, copy.count) : 0..<copy.count
            copy[Int.random(in: range, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
        return copy
    }

    @Test(arguments: mutations)
    func aDamagedFileEndsWithAnErrorOrAValidResult(_ mutation: Mutation) throws {
        let original = try [UInt8](Data(contentsOf: samplesRoot.appendingPathComponent(mutation.sample)))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "topiary-damaged-\(UUID())-" + URL(fileURLWithPath: mutation.sample).lastPathComponent)
        try Data(Self.damage(original, seed: mutation.seed)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var arguments = ["inspect", file.path]
        if let config = mutation.config { arguments += ["--config", samplesRoot.appendingPathComponent(config).path] }
        let run = try topiary(arguments: arguments, timeout: 20)
        #expect(run.status == 0 || run.status == 1, "exit status \(run.status): \(run.stderr.prefix(400))")
        if run.status == 1 {
            #expect(run.stderr.hasPrefix("error: "))
            #expect(run.stderr.split(separator: "\n").count <= 12)
        }
    }
}
