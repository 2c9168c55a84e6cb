import Foundation
import Testing
import TopiaryTestSupport

/// Seeded structural mutations of real files — the JSON configuration inside an .h5, the
/// link graph of its groups, the headers of a .keras zip, the header of an .npy — each run
/// through `topiary` under the targets every hostile file must meet: exit 0 or 1 with one
/// error line that fits on a screen, within 10 s and 512 MB, leaving nothing in TMPDIR.
///
/// Each kind runs seeds 0, 1, 2… for a bounded time (at least `minimumRuns`), so the suite
/// stays short on a slow machine and a failure names a seed that reproduces it.
@Suite(.serialized) struct StructuralFuzzTests {
    /// Wall time given to each kind of mutation.
    static let budget: Double = 10
    static let minimumRuns = 8

    /// What one run of `topiary` did, measured from outside.
    struct Outcome {
        var status: Int32
        var stderr: String
        var seconds: Double
        var peakKilobytes: Int
        var leftInTemporaryFolder: [String]
    }

    /// Runs `topiary` under `/usr/bin/time` (for its peak memory) with a TMPDIR of its own,
    /// killed after 30 s so a hang fails the test instead of stalling it.
    static func run(_ arguments: [String]) throws -> Outcome {
        return try withScratchFolder { path in
            let scratch = URL(fileURLWithPath: path)
            let temporary = scratch.appendingPathComponent("tmp")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            let memoryReport = scratch.appendingPathComponent("memory")

            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            process.arguments = ["-f", "%M", "-o", memoryReport.path, topiaryExecutable.path] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporary.path
            process.environment = environment
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            let start = Date()
            try process.run()
            let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: killer)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            killer.cancel()
            let seconds = Date().timeIntervalSince(start)
            let report = (try? String(contentsOf: memoryReport, encoding: .utf8)) ?? ""
            // /usr/bin/time reports a signal on its first line; the figure is the last.
            let peak = report.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? -1
            let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
            // time passes the child's exit status through; a signal shows as 128 + signal.
            return Outcome(
                status: process.terminationStatus, stderr: stderr, seconds: seconds, peakKilobytes: peak, leftInTemporaryFolder: left)
        }
    }

    /// The targets every run must meet, recorded against `what` (the kind and the seed).
    static func check(_ outcome: Outcome, _ what: String) {
        #expect(outcome.status == 0 || outcome.status == 1, "\(what): exit status \(outcome.status): \(outcome.stderr.prefix(400))")
        if outcome.status == 1 {
            #expect(outcome.stderr.hasPrefix("error: "), "\(what): \(outcome.stderr.prefix(400))")
            #expect(outcome.stderr.split(separator: "\n").count <= 12, "\(what): \(outcome.stderr.count) characters of error")
            #expect(outcome.stderr.count <= 4000, "\(what): \(outcome.stderr.count) characters of error")
        }
        #expect(outcome.seconds < 10, "\(what): took \(outcome.seconds) s")
        #expect(outcome.peakKilobytes > 0 && outcome.peakKilobytes < 512 * 1024, "\(what): peak memory \(outcome.peakKilobytes) KB")
        #expect(outcome.leftInTemporaryFolder.isEmpty, "\(what): left \(outcome.leftInTemporaryFolder) in TMPDIR")
    }

    /// Runs `mutate` on seeds 0, 1, 2… until the budget is spent, each mutated file written to a
    /// fresh path with `suffix` and given to `arguments`.
    static func fuzz(
        _ kind: String, sample: String, suffix: String,
        mutate: ([UInt8], inout SeededGenerator) -> (bytes: [UInt8], change: String),
        arguments: (String) -> [String]
    ) throws {
        let original = try [UInt8](Data(contentsOf: samplesRoot.appendingPathComponent(sample)))
        let start = Date()
        var seed: UInt64 = 0
        while seed < UInt64(minimumRuns) || Date().timeIntervalSince(start) < budget {
            var random = SeededGenerator(seed: seed)
            let (bytes, change) = mutate(original, &random)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-fuzz-\(UUID())\(suffix)")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            check(try run(arguments(file.path)), "\(kind) seed \(seed) (\(change))")
            seed += 1
        }
    }

    // MARK: The configuration inside an .h5

    /// The bounds of the model_config text inside an .h5 written by h5py: from its opening
    /// brace to the NUL after it.
    static func configRange(_ bytes: [UInt8]) -> Range<Int>? {
        let opening = Array(#"{"class_name""#.utf8)
        guard let start = (0..<bytes.count - opening.count).first(where: { bytes[$0..<$0 + opening.count].elementsEqual(opening) }),
            let end = bytes[start...].firstIndex(of: 0)
        else { return nil }
        return start..<end
    }

    /// One same-length edit of the JSON, so the HDF5 structure around it stays valid: numbers
    /// made huge or negative, names misspelt (dangling inbound layers, unknown classes),
    /// punctuation removed, booleans written as numbers the way Keras accepts them.
    static func mutateConfig(_ bytes: [UInt8], _ random: inout SeededGenerator) -> (bytes: [UInt8], change: String) {
        var copy = bytes
        guard let range = configRange(bytes) else { return (bytes, "no configuration found") }
        let text = Array(bytes[range])
        func positions(_ test: (UInt8) -> Bool) -> [Int] { text.indices.filter { test(text[$0]) } }
        switch Int.random(in: 0..<5, using: &random) {
        case 0:
            let digits = positions { (0x30...0x39).contains($0) }
            guard let at = digits.randomElement(using: &random) else { break }
            var end = at
            while end < text.count, (0x30...0x39).contains(text[end]) { end += 1 }
            for index in at..<end { copy[range.lowerBound + index] = 0x39 }
            return (copy, "digits at \(at) made 9s")
        case 1:
            let digits = positions { (0x31...0x39).contains($0) }
            guard let at = digits.randomElement(using: &random) else { break }
            copy[range.lowerBound + at] = 0x2D
            return (copy, "digit at \(at) made a minus sign")
        case 2:
            let letters = positions { (0x61...0x7A).contains($0) }
            guard let at = letters.randomElement(using: &random) else { break }
            copy[range.lowerBound + at] = 0x71
            return (copy, "letter at \(at) made q")
        case 3:
            let punctuation = positions { [0x5B, 0x5D, 0x7B, 0x7D, 0x2C, 0x3A, 0x22].contains($0) }
            guard let at = punctuation.randomElement(using: &random) else { break }
            copy[range.lowerBound + at] = 0x20
            return (copy, "punctuation at \(at) made a space")
        default:
            let word = Array("true".utf8)
            let matches = (0..<text.count - word.count).filter { text[$0..<$0 + word.count].elementsEqual(word) }
            guard let at = matches.randomElement(using: &random) else { break }
            copy.replaceSubrange(range.lowerBound + at..<range.lowerBound + at + word.count, with: Array("1   ".utf8))
            return (copy, "true at \(at) written 1")
        }
        return (bytes, "unchanged")
    }

    // MARK: The link graph of an .h5

    /// Rewrites where one link of a group's symbol table points: back to the root group (a
    /// loop), to another link's object (a shared child), or to an arbitrary offset.
    static func mutateLinks(_ bytes: [UInt8], _ random: inout SeededGenerator) -> (bytes: [UInt8], change: String) {
        let signature = Array("SNOD".utf8)
        var entries: [Int] = []
        for node in 0..<bytes.count - 8 where bytes[node..<node + 4].elementsEqual(signature) {
            let count = Int(bytes[node + 6]) | Int(bytes[node + 7]) << 8
            for entry in 0..<count {
                let address = node + 8 + entry * 40 + 8
                if address + 8 <= bytes.count { entries.append(address) }
            }
        }
        guard let target = entries.randomElement(using: &random) else { return (bytes, "no links found") }
        var copy = bytes
        let root = Array(bytes[64..<72])
        let replacement: [UInt8]
        let change: String
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            (replacement, change) = (root, "link at \(target) points to the root group")
        case 1:
            let other = entries.randomElement(using: &random)!
            (replacement, change) = (Array(bytes[other..<other + 8]), "link at \(target) points where the link at \(other) does")
        default:
            let offset = UInt64.random(in: 0..<UInt64(bytes.count), using: &random)
            (replacement, change) = (
                (0..<8).map { UInt8(truncatingIfNeeded: offset >> (8 * $0)) }, "link at \(target) points to offset \(offset)"
            )
        }
        copy.replaceSubrange(target..<target + 8, with: replacement)
        return (copy, change)
    }

    // MARK: The headers of a .keras zip

    /// Overwrites one field of a local or central zip header, or of the end record: sizes,
    /// method, CRC, flags, name length, file type, entry count or directory offset.
    static func mutateZip(_ bytes: [UInt8], _ random: inout SeededGenerator) -> (bytes: [UInt8], change: String) {
        func find(_ signature: [UInt8]) -> [Int] {
            (0..<bytes.count - 4).filter { bytes[$0..<$0 + 4].elementsEqual(signature) }
        }
        let locals = find([0x50, 0x4B, 0x03, 0x04]), centrals = find([0x50, 0x4B, 0x01, 0x02]), ends = find([0x50, 0x4B, 0x05, 0x06])
        // (header offsets, field offset, field width, name)
        let fields: [([Int], Int, Int, String)] = [
            (locals, 6, 2, "local flags"), (locals, 8, 2, "local method"), (locals, 14, 4, "local CRC"),
            (locals, 18, 4, "local compressed size"), (locals, 22, 4, "local size"), (locals, 26, 2, "local name length"),
            (centrals, 10, 2, "central method"), (centrals, 20, 4, "central compressed size"), (centrals, 24, 4, "central size"),
            (centrals, 28, 2, "central name length"), (centrals, 38, 4, "central file type"), (centrals, 42, 4, "central local offset"),
            (ends, 10, 2, "entry count"), (ends, 12, 4, "directory size"), (ends, 16, 4, "directory offset"),
        ]
        let (headers, offset, width, name) = fields.randomElement(using: &random)!
        guard let header = headers.randomElement(using: &random) else { return (bytes, "no \(name) found") }
        let values: [UInt64] = [
            0, 1, 0xFFFF, 0xFFFF_FFFF, 0x7FFF_FFFF, 0xA1FF_0000, UInt64(bytes.count), UInt64.random(in: 0...0xFFFF_FFFF, using: &random),
        ]
        let value = values.randomElement(using: &random)!
        var copy = bytes
        for byte in 0..<width where header + offset + byte < copy.count {
            copy[header + offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(byte)))
        }
        return (copy, "\(name) at \(header) set to \(value)")
    }

    // MARK: The header of an .npy

    /// Replaces the header's dictionary (shape, dtype, order) or its length field.
    static func mutateNpy(_ bytes: [UInt8], _ random: inout SeededGenerator) -> (bytes: [UInt8], change: String) {
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let body = Array(bytes[(10 + headerLength)...])
        let shapes = [
            "(360, 64)", "(4611686018427387904, 64)", "(-1, 64)", "(360, 64, 1)", "()", "(0, 64)", "(360,)",
            "(3037000500, 3037000500)", "(360, 64", "((360, 64),)", "(360.5, 64)",
        ]
        let types = ["<f4", "<f8", ">f4", "|b1", "<c16", "|O", "<U10", "<i8", "|u1", "f4", "<f2"]
        let orders = ["False", "True", "1", "None"]
        if Int.random(in: 0..<6, using: &random) == 0 {
            var copy = bytes
            let length = [0, 1, 0xFFFF, headerLength + 1, headerLength - 1].randomElement(using: &random)!
            copy[8] = UInt8(truncatingIfNeeded: length)
            copy[9] = UInt8(truncatingIfNeeded: length >> 8)
            return (copy, "header length set to \(length)")
        }
        let shape = shapes.randomElement(using: &random)!, type = types.randomElement(using: &random)!
        let order = orders.randomElement(using: &random)!
        var header = "{'descr': '\(type)', 'fortran_order': \(order), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        let prefix: [UInt8] = Array(bytes[0..<8]) + [UInt8(length & 0xFF), UInt8(length >> 8)]
        return (prefix + Array(header.utf8) + body, "shape \(shape), dtype \(type), fortran_order \(order)")
    }

    // MARK: The runs

    @Test func mutatedConfigurationsInsideAnH5EndCleanly() throws {
        try Self.fuzz("configuration", sample: "models/mlp/model.h5", suffix: ".h5", mutate: Self.mutateConfig) { ["inspect", $0] }
    }

    @Test func mutatedGroupLinksInAWeightsFileEndCleanly() throws {
        let config = samplesRoot.appendingPathComponent("models/mlp_weights/model.json").path
        try Self.fuzz("links", sample: "models/mlp_weights/model.weights.h5", suffix: ".h5", mutate: Self.mutateLinks) {
            ["inspect", $0, "--config", config]
        }
    }

    @Test func mutatedZipHeadersOfAKerasArchiveEndCleanly() throws {
        try Self.fuzz("zip", sample: "models/dscnn/model.keras", suffix: ".keras", mutate: Self.mutateZip) { ["inspect", $0] }
    }

    @Test func mutatedNpyHeadersEndCleanly() throws {
        let model = samplesRoot.appendingPathComponent("models/mlp/model.h5").path
        try Self.fuzz("npy", sample: "models/mlp/input.npy", suffix: ".npy", mutate: Self.mutateNpy) {
            ["predict", model, "--input", $0]
        }
    }
}
