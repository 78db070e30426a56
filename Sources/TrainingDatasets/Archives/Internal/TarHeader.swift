/// One 512-byte tar header block (ustar, GNU or pre-POSIX), parsed strictly.
struct TarHeader {
    static let blockSize = 512

    /// The path from the header fields (ustar prefix joined with the name), before any GNU long name
    /// or PAX record replaces it.
    var name: [UInt8]
    var linkName: [UInt8]
    var size: UInt64
    var typeFlag: UInt8
    /// A GNU sparse header with extension blocks following it.
    var hasSparseExtension: Bool

    /// - Throws: ``ArchiveScanStop`` when the block is not a valid header.
    init(block: [UInt8], offset: UInt64) throws {
        precondition(block.count == Self.blockSize)
        guard Self.hasValidChecksum(block) else {
            throw ArchiveScanStop.corrupt("the tar header at byte \(offset) is damaged (its checksum does not match)")
        }
        guard let size = Self.number(block[124..<136]) else {
            throw ArchiveScanStop.corrupt("the tar header at byte \(offset) has an unreadable size")
        }
        self.size = size
        self.typeFlag = block[156]
        self.linkName = Self.string(block[157..<257])
        let name = Self.string(block[0..<100])
        // POSIX ustar ("ustar\0") splits long paths into prefix + name; GNU ("ustar  ") uses that area
        // for other fields.
        if block[257..<263].elementsEqual(Array("ustar\0".utf8)) {
            let prefix = Self.string(block[345..<500])
            self.name = prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
        } else {
            self.name = name
        }
        self.hasSparseExtension = self.typeFlag == UInt8(ascii: "S") && block[482] != 0
    }

    static func isZeroBlock(_ block: [UInt8]) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// Whether the block's checksum field matches its content (the field itself counted as spaces);
    /// both the unsigned sum (POSIX) and the signed sum (some old tars) are accepted.
    static func hasValidChecksum<Bytes: RandomAccessCollection<UInt8>>(_ block: Bytes) -> Bool
    where Bytes.Index == Int {
        guard block.count >= Self.blockSize else { return false }
        let start = block.startIndex
        guard let stored = Self.number(block[(start + 148)..<(start + 156)]) else { return false }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for index in 0..<Self.blockSize {
            let byte = (148..<156).contains(index) ? UInt8(ascii: " ") : block[start + index]
            unsigned += Int64(byte)
            signed += Int64(Int8(bitPattern: byte))
        }
        // An all-zero checksum field would "match" a block of zeros: that is an end marker, not a header.
        guard unsigned != 8 * 32 else { return false }
        return Int64(stored) == unsigned || Int64(stored) == signed
    }

    /// A numeric field: octal digits (leading spaces, ended by space or NUL), or GNU base-256 for
    /// positive values; nil for anything else.
    static func number<Bytes: Collection<UInt8>>(_ field: Bytes) -> UInt64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            guard first == 0x80 else { return nil }  // 0xFF marks a negative number
            var value: UInt64 = 0
            for byte in field.dropFirst() {
                guard value >> 56 == 0 else { return nil }
                value = value << 8 | UInt64(byte)
            }
            return value <= UInt64(Int64.max) ? value : nil
        }
        var value: UInt64 = 0
        var digits = 0
        var ended = false
        for byte in field {
            if ended {
                guard byte == 0 || byte == UInt8(ascii: " ") else { return nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value >> 60 == 0 else { return nil }
                value = value << 3 | UInt64(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: " ") where digits == 0:
                continue
            case 0, UInt8(ascii: " "):
                ended = true
            default:
                return nil
            }
        }
        return value <= UInt64(Int64.max) ? value : nil
    }

    /// The bytes of a text field up to its first NUL.
    private static func string(_ field: ArraySlice<UInt8>) -> [UInt8] {
        Array(field.prefix { $0 != 0 })
    }
}
