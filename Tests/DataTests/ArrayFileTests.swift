import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("Array files")
struct ArrayFileTests {
    static let types = samplesRoot.path + "/hdf5/types.h5"

    @Test func loadsANpyFile() throws {
        let x = try ArrayFile.load(samplesRoot.path + "/data/digits_test_x.npy")
        #expect(x.shape == [360, 64])
    }

    @Test func loadsHDF5Datasets() throws {
        let floats = try ArrayFile.load(Self.types + ":float32")
        #expect(floats.shape == [2, 3, 4])
        #expect(floats.elementKind == .float)
        #expect(floats.values == (0..<24).map { Float($0) / 8 })

        let integers = try ArrayFile.load(Self.types + ":int64")
        #expect(integers.shape == [1, 2])
        #expect(integers.elementKind == .integer)
        #expect(integers.values == [-Float(1 << 40), 7])

        let nested = try ArrayFile.load(Self.types + ":group/nested/leaf")
        #expect(nested.values == [1, 1, 1])
    }

    @Test func errorsNameTheFileAndSayWhatToDo() throws {
        let whole = #expect(throws: DataError.self) { try ArrayFile.load(Self.types) }
        #expect(whole?.description.contains("types.h5:DATASET") == true)
        #expect(whole?.description.contains("float32") == true)

        let missing = #expect(throws: DataError.self) { try ArrayFile.load(Self.types + ":nope") }
        #expect(missing?.file == Self.types + ":nope")
        #expect(missing?.message.contains("no such dataset") == true)

        let text = #expect(throws: DataError.self) { try ArrayFile.load(Self.types + ":strings") }
        #expect(text?.message.contains("text") == true)

        let absent = #expect(throws: DataError.self) { try ArrayFile.load("/nonexistent/x.npy") }
        #expect(absent?.description == "/nonexistent/x.npy: no such file; give a .npy file or an HDF5 dataset as file.h5:dataset")

        let other = #expect(throws: DataError.self) { try ArrayFile.load(samplesRoot.path + "/make_data.py") }
        #expect(other?.message.contains("neither a .npy file nor an HDF5 file") == true)
    }
}
