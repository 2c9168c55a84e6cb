import Foundation

/// Checks that every entry of a zip archive's central directory agrees with its local header
/// (name, compression method, CRC and sizes) and lies inside the file.
///
/// A zip reader finds entries through the central directory but reads their data through the
/// local header: when the two disagree, sizes the reader trusts can be anything (a 1.5 KB entry
/// whose local header declares 4 GiB). Refusing such archives before extracting anything means
/// the sizes used afterwards are the ones this check has seen bounded by the file.
struct ZipHeaderCheck {
    /// One entry as both headers describe it.
    fileprivate struct Header: Equatable {
        var name: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        /// Bit 3: CRC and sizes follow the data, the local header holds zeros.
        var usesDataDescriptor: Bool
    }

    /// Throws when the archive's headers disagree or point outside the file. `file` is best
    /// mapped rather than read: only the headers are touched.
    static func check(_ file: Data) throws(ZipHeaderProblem) {
        guard let end = endOfCentralDirectory(file) else {
            throw ZipHeaderProblem("its end-of-central-directory record is missing; the archive is truncated")
        }
        let count = Int(file.uint16(at: end + 10)), size = Int(file.uint32(at: end + 12)), offset = Int(file.uint32(at: end + 16))
        guard count != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else {
            throw ZipHeaderProblem("it is a ZIP64 archive; Keras writes models smaller than 4 GiB as plain zip archives")
        }
        guard offset <= end, size <= end - offset else {
            throw ZipHeaderProblem("its central directory lies outside the file; the archive is damaged")
        }
        var position = offset
        for _ in 0..<count {
            guard position + 46 <= end, file.uint32(at: position) == 0x0201_4B50 else {
                throw ZipHeaderProblem("its central directory is damaged")
            }
            let nameLength = Int(file.uint16(at: position + 28)), extraLength = Int(file.uint16(at: position + 30))
            let commentLength = Int(file.uint16(at: position + 32))
            guard position + 46 + nameLength + extraLength + commentLength <= end else {
                throw ZipHeaderProblem("its central directory is damaged")
            }
            let nameStart = position + 46
            let extra = Array(file[nameStart + nameLength..<nameStart + nameLength + extraLength])
            var central = Header(
                name: Array(file[nameStart..<nameStart + nameLength]), method: file.uint16(at: position + 10),
                crc: file.uint32(at: position + 16), compressedSize: UInt64(file.uint32(at: position + 20)),
                uncompressedSize: UInt64(file.uint32(at: position + 24)),
                usesDataDescriptor: file.uint16(at: position + 8) & 0x8 != 0)
            central.applyZip64(extra)
            let entryName = String(decoding: central.name, as: UTF8.self)
            var localOffset = UInt64(file.uint32(at: position + 42))
            if localOffset == 0xFFFF_FFFF, let value = Header.zip64Values(extra).dropFirst(2).first { localOffset = value }
            try checkLocal(file, at: localOffset, against: central, name: entryName, directoryStart: offset)
            position = nameStart + nameLength + extraLength + commentLength
        }
    }

    private static func checkLocal(
        _ file: Data, at offset: UInt64, against central: Header, name: String,
        directoryStart: Int
    ) throws(ZipHeaderProblem) {
        let start = Int(clamping: offset)
        guard start <= directoryStart - 30, file.uint32(at: start) == 0x0403_4B50 else {
            throw ZipHeaderProblem("entry \(name) has no local header where the central directory says; the archive is damaged")
        }
        let nameLength = Int(file.uint16(at: start + 26)), extraLength = Int(file.uint16(at: start + 28))
        let dataStart = start + 30 + nameLength + extraLength
        guard dataStart <= directoryStart else {
            throw ZipHeaderProblem("entry \(name)'s local header runs into the central directory; the archive is damaged")
        }
        var local = Header(
            name: Array(file[start + 30..<start + 30 + nameLength]), method: file.uint16(at: start + 8),
            crc: file.uint32(at: start + 14), compressedSize: UInt64(file.uint32(at: start + 18)),
            uncompressedSize: UInt64(file.uint32(at: start + 22)),
            usesDataDescriptor: file.uint16(at: start + 6) & 0x8 != 0)
        local.applyZip64(Array(file[start + 30 + nameLength..<dataStart]))
        var expected = central
        if local.usesDataDescriptor {
            // The local header leaves CRC and sizes to the descriptor after the data.
            (expected.crc, expected.compressedSize, expected.uncompressedSize) = (local.crc, local.compressedSize, local.uncompressedSize)
        }
        guard local == expected else {
            throw ZipHeaderProblem(
                "entry \(name)'s local header disagrees with the central directory (name, method, CRC or sizes); the archive is damaged or forged"
            )
        }
        guard central.compressedSize <= UInt64(directoryStart - dataStart) else {
            throw ZipHeaderProblem(
                "entry \(name) declares \(central.compressedSize) stored bytes, more than the archive holds; it is truncated or forged")
        }
    }

    /// The offset of the end-of-central-directory record, searched backwards over the longest
    /// possible comment.
    private static func endOfCentralDirectory(_ file: Data) -> Int? {
        guard file.count >= 22 else { return nil }
        let lowest = max(0, file.count - 22 - 0xFFFF)
        var position = file.count - 22
        while position >= lowest {
            if file.uint32(at: position) == 0x0605_4B50 { return position }
            position -= 1
        }
        return nil
    }
}

/// Why an archive's headers were refused.
struct ZipHeaderProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

extension ZipHeaderCheck.Header {
    /// The 64-bit values of a ZIP64 extra field (tag 1), in order: uncompressed size, compressed
    /// size, local header offset, each present only when its 32-bit field is 0xFFFFFFFF.
    static func zip64Values(_ extra: [UInt8]) -> [UInt64] {
        var position = 0
        while position + 4 <= extra.count {
            let tag = extra.uint16(at: position), length = Int(extra.uint16(at: position + 2))
            let body = position + 4
            guard body + length <= extra.count else { return [] }
            if tag == 1 {
                return stride(from: body, to: body + length - 7, by: 8).map { extra.uint64(at: $0) }
            }
            position = body + length
        }
        return []
    }

    /// Replaces the 32-bit sizes marked 0xFFFFFFFF by their ZIP64 values.
    mutating func applyZip64(_ extra: [UInt8]) {
        var values = Self.zip64Values(extra)[...]
        if uncompressedSize == 0xFFFF_FFFF, let value = values.popFirst() { uncompressedSize = value }
        if compressedSize == 0xFFFF_FFFF, let value = values.popFirst() { compressedSize = value }
    }
}

extension RandomAccessCollection where Element == UInt8, Index == Int {
    /// Little-endian reads; zero past the end, so a truncated header reads as a mismatch.
    fileprivate func uint16(at offset: Int) -> UInt16 {
        guard offset >= 0, offset + 2 <= count else { return 0 }
        return UInt16(self[startIndex + offset]) | UInt16(self[startIndex + offset + 1]) << 8
    }

    fileprivate func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    fileprivate func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
    }
}
