import Foundation
import Testing
import Topiary
import TopiaryTestSupport

@Suite("NumPy files")
struct NpyFileTests {
    static let cases: [(NpyElementType, Int)] = NpyElementType.allCases.flatMap { type in [1, 2, 3].map { (type, $0) } }

    func values(for type: NpyElementType) -> [Float] {
        switch type {
        case .bool: return [0, 1, 1, 0, 1, 0]
        case .uint8, .uint16: return [0, 1, 2, 200, 7, 255]
        case .float32, .float64: return [0, -1.5, 3.25, 1e-3, -7, 1e30]
        default: return [0, -1, 2, -128, 127, 5]
        }
    }

    @Test("round trip", arguments: cases)
    func roundTrip(_ type: NpyElementType, version: Int) throws {
        let array = NDArray(shape: [2, 3], values: values(for: type))
        try withScratchFolder { folder in
            let path = folder + "/a.npy"
            try NpyFile.write(array, to: path, as: type, version: version)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes[6] == UInt8(version))
            #expect((bytes.count - 6 * type.byteCount) % 64 == 0, "data should start on a 64-byte boundary")
            let back = try NpyFile.read(path: path)
            #expect(back.shape == [2, 3])
            #expect(back.values == array.values)
            #expect(back.elementKind == type.elementKind)
        }
    }

    @Test func shapesOfEveryRank() throws {
        for shape in [[], [5], [2, 0], [1, 2, 3, 1]] {
            let array = NDArray(shape: shape, values: (0..<shape.reduce(1, *)).map(Float.init))
            let back = try NpyFile.decode(NpyFile.encode(array), name: "x")
            #expect(back == array)
        }
        let text = String(decoding: try NpyFile.encode(NDArray(shape: [5], values: [0, 0, 0, 0, 0])).prefix(70), as: UTF8.self)
        #expect(text.contains("'shape': (5,)"))
    }

    @Test func readsFilesWrittenByNumPy() throws {
        let data = samplesRoot.path + "/data/"
        let x = try NpyFile.read(path: data + "digits_test_x.npy")
        #expect(x.shape == [360, 64])
        #expect(x.elementKind == .float)
        #expect(x.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        let y = try NpyFile.read(path: data + "digits_test_y.npy")
        #expect(y.shape == [360])
        #expect(y.elementKind == .integer)
        #expect(Set(y.values) == Set((0..<10).map(Float.init)))
    }

    /// A version-1 `.npy` file with `dict` as its header and `payload` as data.
    func handMade(_ dict: String, payload: [UInt8] = [0, 0, 0, 0], version: UInt8 = 1) -> Data {
        var header = Array(dict.utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        bytes += header + payload
        return Data(bytes)
    }

    func refusal(_ data: Data) throws -> String {
        try withScratchFolder { folder in
            let path = folder + "/bad.npy"
            try data.write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: DataError.self) { try NpyFile.read(path: path) }
            #expect(error?.file == path)
            #expect(error?.description.hasPrefix(path + ": ") == true)
            return error?.message ?? ""
        }
    }

    @Test func refusesWhatItCannotRead() throws {
        #expect(
            try refusal(
                handMade(
                    "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                    payload: [UInt8](repeating: 0, count: 16))
            ).contains("Fortran"))
        #expect(try refusal(handMade("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }")).contains("big-endian"))
        #expect(try refusal(handMade("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }")).contains("objects"))
        #expect(try refusal(handMade("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }")).contains("element type"))
        #expect(try refusal(handMade("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }")).contains("'<c8'"))
        #expect(try refusal(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")).contains("truncated"))
        #expect(try refusal(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", version: 4)).contains("version 4"))
        #expect(try refusal(Data("a,b\n1,2\n".utf8)).contains("not a .npy file"))
    }

    @Test func acceptsAOneDimensionalFortranArrayAndByteOrderFreeTypes() throws {
        // A 1-D array is the same in either order; one-byte types carry no byte order.
        let f = try NpyFile.decode(
            handMade(
                "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
                payload: Array(withUnsafeBytes(of: Float(2.5).bitPattern.littleEndian) { Array($0) })), name: "f")
        #expect(f.values == [2.5])
        let b = try NpyFile.decode(handMade("{'descr': '>i1', 'fortran_order': False, 'shape': (2,), }", payload: [0xFF, 3]), name: "b")
        #expect(b.values == [-1, 3])
    }

    @Test func integersThatDoNotFitAreNotWrittenSilently() throws {
        let error = #expect(throws: DataError.self) {
            try NpyFile.encode(NDArray(shape: [2], values: [1, 300]), as: .int8, name: "y.npy")
        }
        #expect(error?.description.contains("300") == true)
        #expect(throws: DataError.self) { try NpyFile.encode(NDArray(shape: [1], values: [0.5]), as: .int32) }
    }
}
