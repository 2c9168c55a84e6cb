import Foundation
import Testing
import ZIPFoundation
@testable import Topiary
import TopiaryTestSupport

/// Files made to exhaust memory or to lie about their sizes end with an error naming what is
/// too large, before anything of that size is allocated. The hostile files are written here,
/// from real samples, so the repository holds no multi-gigabyte bombs.
@Suite struct HostileFileTests {
    static let dscnn = samplesRoot.appendingPathComponent("models/dscnn/model.keras")
    static let mlpWeights = samplesRoot.appendingPathComponent("models/mlp_weights/model.weights.h5").path
    static let mlpConfig = samplesRoot.appendingPathComponent("models/mlp_weights/model.json")

    func importError(_ path: String, config: String? = nil, limits: ReadLimits = ReadLimits()) -> ImportError? {
        #expect(throws: ImportError.self) {
            try KerasImporter(limits: limits).importGraph(modelPath: path, configPath: config)
        }
    }

    /// The file and reason of the `notAModel` error that importing `path` throws; records an
    /// issue naming the error when it is another one.
    func notAModel(_ path: String, config: String? = nil) -> (file: String, reason: String)? {
        let error = importError(path, config: config)
        guard case let .notAModel(file, reason)? = error else {
            Issue.record("expected a notAModel error, got \(String(describing: error))")
            return nil
        }
        return (file, reason)
    }

    /// Copies the entries of the dscnn archive into a new one, replacing `replaced` by `bytes`
    /// (deflated, so a few kilobytes of file inflate to many megabytes).
    static func archive(at url: URL, replacing replaced: String, with bytes: Data) throws {
        let source = try Archive(url: dscnn, accessMode: .read)
        let target = try Archive(url: url, accessMode: .create)
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            if entry.path == replaced { data = bytes }
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// The offset of the local header of `name` in a zip file's bytes.
    static func localHeader(of name: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(name.utf8)
        var position = 0
        while position + 30 + needle.count <= bytes.count {
            if bytes[position..<position + 4] == [0x50, 0x4B, 0x03, 0x04][...],
                Int(bytes[position + 26]) | Int(bytes[position + 27]) << 8 == needle.count,
                Array(bytes[position + 30..<position + 30 + needle.count]) == needle
            {
                return position
            }
            position += 1
        }
        return nil
    }

    @Test func aConfigurationThatInflatesPastItsLimitIsRefusedByName() throws {
        try withScratchFolder { folder in
            let bomb = URL(fileURLWithPath: folder + "/bomb.keras")
            // 17 MiB of spaces deflate to about 17 KB; the configuration limit is 16 MiB.
            try Self.archive(at: bomb, replacing: "config.json", with: Data(repeating: 0x20, count: 17 << 20))
            let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int)
            #expect(fileSize < 1 << 20)
            let refusal = notAModel(bomb.path)
            #expect(refusal?.file == bomb.path)
            #expect(
                refusal?.reason
                    == "archive entry config.json inflates to more than the 16 MiB allowed; raise the model size limit if the model is really that large"
            )
        }
    }

    @Test func anEntryWhoseDeclaredSizeLiesIsStoppedByWhatItInflatesTo() throws {
        try withScratchFolder { folder in
            let bomb = URL(fileURLWithPath: folder + "/liar.keras")
            try Self.archive(at: bomb, replacing: "metadata.json", with: Data(repeating: 0x20, count: 3 << 20))
            // Both headers claim 16 bytes inflated: they agree, and the entry still inflates to 3 MiB.
            var bytes = [UInt8](try Data(contentsOf: bomb))
            let local = try #require(Self.localHeader(of: "metadata.json", in: bytes))
            bytes.replaceSubrange(local + 22..<local + 26, with: [16, 0, 0, 0])
            let name = Array("metadata.json".utf8)
            var central = bytes.count - 22
            while !(bytes[central..<central + 4] == [0x50, 0x4B, 0x01, 0x02][...]
                && Array(bytes[central + 46..<central + 46 + name.count]) == name)
            {
                central -= 1
            }
            bytes.replaceSubrange(central + 24..<central + 28, with: [16, 0, 0, 0])
            try Data(bytes).write(to: bomb)
            #expect(
                notAModel(bomb.path)?.reason
                    == "archive entry metadata.json inflates to more than the 16 bytes its headers declare; the archive is damaged or forged"
            )
        }
    }

    @Test func aLocalHeaderThatDisagreesWithTheCentralDirectoryIsRefused() throws {
        try withScratchFolder { folder in
            var bytes = [UInt8](try Data(contentsOf: Self.dscnn))
            let local = try #require(Self.localHeader(of: "model.weights.h5", in: bytes))
            bytes.replaceSubrange(local + 22..<local + 26, with: [0xFF, 0xFF, 0xFF, 0xFE])
            let forged = URL(fileURLWithPath: folder + "/forged.keras")
            try Data(bytes).write(to: forged)
            #expect(
                notAModel(forged.path)?.reason
                    == "is a zip file but not a readable .keras archive: entry model.weights.h5's local header disagrees with the central directory (name, method, CRC or sizes); the archive is damaged or forged"
            )
        }
    }

    @Test func weightsPastTheModelLimitAreRefusedNamingTheLayerAndTheLimitCanBeRaised() throws {
        let error = importError(Self.mlpWeights, config: Self.mlpConfig.path, limits: ReadLimits(modelBytes: 4096))
        guard case let .missingWeights(_, layer, reason)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(layer == "fc1")
        #expect(
            reason
                == "weight 'kernel' [64, 64] would bring the weights read past the 4 KiB allowed; raise the model size limit if the model is really that large"
        )
        let graph = try KerasImporter(limits: ReadLimits(modelBytes: 1 << 20)).importGraph(
            modelPath: Self.mlpWeights, configPath: Self.mlpConfig.path)
        #expect(graph.parameterCount == 6570)
    }

    /// The mlp's configuration with its input shape replaced.
    func mlpConfig(input: String, in folder: String) throws -> String {
        let text = try String(contentsOf: Self.mlpConfig, encoding: .utf8)
        #expect(text.contains("\"batch_shape\": [null, 64]"))
        let url = URL(fileURLWithPath: folder + "/model.json")
        try text.replacingOccurrences(of: "\"batch_shape\": [null, 64]", with: "\"batch_shape\": [null, \(input)]").write(
            to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Input shapes too large for memory, and the reason each is refused with: one whose float32
    /// bytes pass the limit, one whose element count overflows a 64-bit count (an error, not a trap).
    static let oversizedInputs = [
        (
            "1048576, 1048576",
            "its output [1048576, 1048576] takes 4 TiB of float32, more than the 64 MiB one tensor may take; no microcontroller holds it (raise the model size limit if this is intended)"
        ),
        (
            "4294967296, 4294967296",
            "its output [4294967296, 4294967296] takes more values than a 64-bit count holds, more than the 64 MiB one tensor may take; no microcontroller holds it (raise the model size limit if this is intended)"
        ),
    ]

    @Test(
        "an input too large for memory, or whose element count overflows, is refused naming the layer and its size",
        arguments: oversizedInputs)
    func anOversizedInputIsRefusedNamingTheLayerAndItsSize(_ input: String, _ expectedReason: String) throws {
        try withScratchFolder { folder in
            let config = try mlpConfig(input: input, in: folder)
            guard case let .invalidLayer(_, layer, _, reason)? = importError(Self.mlpWeights, config: config) else {
                Issue.record("wrong error"); return
            }
            #expect(layer == "pixels")
            #expect(reason == expectedReason)
        }
    }

    @Test func aNamedPipeIsRefusedWithoutBeingOpened() throws {
        try withScratchFolder { folder in
            let fifo = folder + "/model.h5"
            #expect(mkfifo(fifo, 0o600) == 0)
            // Opening a FIFO for reading would block until a writer comes: this returns at once.
            let refusal = notAModel(fifo)
            #expect(refusal?.file == fifo)
            #expect(
                refusal?.reason
                    == "is a named pipe (FIFO), not a file; save the data to a file first; give a Keras model file (.h5 or .keras)")
        }
    }

    @Test func aDirectoryGivenAsTheModelIsNamedAsOne() throws {
        try withScratchFolder { folder in
            #expect(notAModel(folder)?.reason == "is a directory, not a file; give a Keras model file (.h5 or .keras)")
        }
    }

    @Test func aDeviceGivenAsTheArchitectureIsNamedAsOne() {
        let refusal = notAModel(Self.mlpWeights, config: "/dev/zero")
        #expect(refusal?.file == "/dev/zero")
        #expect(refusal?.reason == "is a character device, not a file; give the architecture JSON file")
    }
}

/// A configuration whose links are broken names the broken link itself, in a message that fits
/// on a screen however many layers the model has.
@Suite struct BrokenLinkTests {
    func topologyError(_ layers: [String]) -> String? {
        let json = """
            {"class_name": "Functional", "config": {"name": "m", "layers": [\(layers.joined(separator: ", "))],
              "input_layers": [["in", 0, 0]], "output_layers": [["in", 0, 0]]}}
            """
        do {
            _ = try ModelTopology(config: try JSONValue.parse(json))
            return nil
        } catch let error as JSONParseError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    static let input =
        #"{"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2]}, "inbound_nodes": []}"#
    static func dense(_ name: String, reads source: String, call: Int = 0) -> String {
        #"{"class_name": "Dense", "name": "\#(name)", "config": {"name": "\#(name)", "units": 2}, "inbound_nodes": [[["\#(source)", \#(call), 0, {}]]]}"#
    }

    @Test func aMissingInboundLayerIsNamedNotEveryLayerDownstream() {
        let layers =
            [Self.input, Self.dense("a", reads: "ghost")] + (0..<1000).map { Self.dense("d\($0)", reads: $0 == 0 ? "a" : "d\($0 - 1)") }
        #expect(topologyError(layers) == "layer 'a' reads 'ghost', which is not a layer of the model")
    }

    @Test func aCallOfALayerThatIsNeverMadeIsNamed() {
        #expect(
            topologyError([Self.input, Self.dense("a", reads: "in", call: 3)]) == "layer 'a' reads call 4 of 'in', which is called 1 time")
    }

    @Test func aDuplicateLayerNameIsNamed() {
        #expect(
            topologyError([Self.input, Self.dense("a", reads: "in"), Self.dense("a", reads: "in")])
                == "two layers are named 'a' (layers 2 and 3); Keras requires unique layer names")
    }

    @Test func aCycleOfManyLayersIsListedShort() throws {
        let cycle = (0..<100).map { Self.dense("c\($0)", reads: "c\(($0 + 1) % 100)") }
        let message = try #require(topologyError([Self.input] + cycle))
        #expect(message == "layers c0, c1, c2, c3, c4, c5, c6, c7, … and 92 more form a cycle: each reads a tensor the others produce")
    }
}
