import Foundation
import HDF5
import Testing

/// The repository's `samples/` folder, found from this file's path so tests run from any directory.
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("samples")
let typesFile = samples.appendingPathComponent("hdf5/types.h5").path

@Suite struct HDF5ReaderTests {
    let root: Group

    init() throws {
        root = try File(path: typesFile).root
    }

    @Test func readsFloat16DatasetsConvertedToFloat() throws {
        let (shape, values) = try root.dataset("float16").readFloats()
        #expect(shape == [2, 3])
        #expect(values == [0.5, -1.25, 65504, Float(Float16(1e-3)), 0, -2])
    }

    @Test func readsFloat32DatasetsWithTheirShape() throws {
        let (shape, values) = try root.dataset("float32").readFloats()
        #expect(shape == [2, 3, 4])
        #expect(values == (0..<24).map { Float($0) / 8 })
    }

    @Test func readsFloat64AndIntegerDatasets() throws {
        #expect(try root.dataset("float64").readDoubles().values == [1.0 / 3.0, -2.5])
        #expect(try root.dataset("int8").readFloats().values == [-128, 0, 127])
        #expect(try root.dataset("uint16").readInt64s().values == [0, 65535])
        let int64 = try root.dataset("int64").readInt64s()
        #expect(int64.shape == [1, 2])
        #expect(int64.values == [-(1 << 40), 7])
    }

    @Test func readsScalarsAndEmptyDatasets() throws {
        let scalar = try root.dataset("scalar").readFloats()
        #expect(scalar.shape == [])
        #expect(scalar.values == [3.5])
        let empty = try root.dataset("empty").readFloats()
        #expect(empty.shape == [0, 4])
        #expect(empty.values.isEmpty)
    }

    @Test func readsFixedAndVariableLengthStringAttributes() throws {
        #expect(try root.attribute("variable_string").readString() == "variable length \u{e9}")
        #expect(try root.attribute("fixed_string").readString() == "fixed length")
        #expect(try root.attribute("fixed_padded").readString() == "padded")
        #expect(try root.attribute("string_array").readStrings() == ["fc1", "dropout", "fc2"])
        #expect(try root.attribute("variable_array").readStrings() == ["one", "two"])
        #expect(try root.dataset("strings").readStrings() == ["alpha", "beta"])
    }

    @Test func readsAnEmptyListAttributeAsNoStrings() throws {
        // h5py stores `[]` as float64; Keras writes weight_names = [] for layers without weights.
        #expect(try root.attribute("empty_list").readStrings() == [])
    }

    @Test func joinsStringArraysSplitAcrossNumberedAttributes() throws {
        #expect(try root.chunkedStringsAttribute("split_names") == ["a", "b", "c"])
        #expect(try root.chunkedStringsAttribute("string_array") == ["fc1", "dropout", "fc2"])
    }

    @Test func walksGroupsAndNestedPaths() throws {
        let names = try root.childNames()
        #expect(names.contains("group"))
        #expect(names.contains("float32"))
        #expect(try root.kind(of: "group") == .group)
        #expect(try root.kind(of: "group/nested/leaf") == .dataset)
        #expect(try root.kind(of: "absent/leaf") == nil)
        #expect(try root.group("group").group("nested").dataset("leaf").readFloats().values == [1, 1, 1])
        #expect(try root.attributeNames().contains("numbers"))
    }

    @Test func refusesDeclaredShapesLargerThanTheLimitBeforeAllocating() throws {
        let huge = try root.dataset("huge")
        #expect(try huge.shape() == [1 << 20, 1 << 20])
        let error = #expect(throws: HDF5Error.self) { try huge.readFloats() }
        #expect(error?.kind == .tooLarge)
        #expect(error?.description.contains("/huge") == true)
        #expect(error?.description.contains("[1048576, 1048576]") == true)
    }

    @Test func refusesStringsWhereNumbersBelong() throws {
        let error = #expect(throws: HDF5Error.self) { try root.dataset("strings").readFloats() }
        #expect(error?.kind == .wrongType)
        #expect(error?.description.contains("string data where numbers were expected") == true)
    }

    @Test func refusesNumbersWhereTextBelongs() throws {
        let error = #expect(throws: HDF5Error.self) { try root.attribute("numbers").readStrings() }
        #expect(error?.kind == .wrongType)
    }

    @Test func reportsMissingObjectsWithTheirPath() throws {
        let dataset = #expect(throws: HDF5Error.self) { try root.dataset("group/missing") }
        #expect(dataset?.kind == .notFound)
        #expect(dataset?.description == "\(typesFile):/group/missing: no such dataset")
        let group = #expect(throws: HDF5Error.self) { try root.group("float32") }
        #expect(group?.description.hasSuffix("/float32: is not a group") == true)
        let attribute = #expect(throws: HDF5Error.self) { try root.attribute("absent") }
        #expect(attribute?.kind == .notFound)
    }

    @Test func refusesFilesThatAreNotHDF5() throws {
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-not-hdf5-\(UUID()).h5")
        try Data("just text".utf8).write(to: text)
        defer { try? FileManager.default.removeItem(at: text) }
        let error = #expect(throws: HDF5Error.self) { try File(path: text.path) }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains("not an HDF5 file") == true)
        let missing = #expect(throws: HDF5Error.self) { try File(path: "/nonexistent/model.h5") }
        #expect(missing?.kind == .cannotOpen)
    }

    @Test func reportsTheLibraryErrorStackForATruncatedFile() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: typesFile))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("topiary-truncated-\(UUID()).h5")
        try bytes.prefix(bytes.count / 3).write(to: cut)
        defer { try? FileManager.default.removeItem(at: cut) }
        let error = #expect(throws: HDF5Error.self) {
            let file = try File(path: cut.path)
            _ = try file.root.dataset("float32").readFloats()
            _ = try file.root.dataset("group/nested/leaf").readFloats()
        }
        #expect(error?.kind == .corrupt)
        #expect(error?.libraryMessages.isEmpty == false)
    }

    @Test func opensAFileImageHeldInMemory() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: typesFile)))
        let file = try File(image: bytes, name: "archive.keras/types.h5")
        #expect(try file.root.dataset("float64").readDoubles().values == [1.0 / 3.0, -2.5])
        let error = #expect(throws: HDF5Error.self) { try File(image: Array(bytes.prefix(100)), name: "cut") }
        #expect(error?.kind == .corrupt)
    }
}
