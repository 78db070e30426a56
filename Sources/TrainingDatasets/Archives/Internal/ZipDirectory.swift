/// A zip entry as the central directory describes it, plus where its data starts.
struct ZipRecord {
    var name: [UInt8]
    var kind: ArchiveEntryHeader.Kind
    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var localHeaderOffset: UInt64
    /// Set from the local header; nil when that header is unusable.
    var dataOffset: UInt64?
    var problems: [String] = []

    /// General-purpose flag bit 0 (traditional or strong encryption), or WinZip AES (method 99).
    var isEncrypted: Bool { self.flags & 1 != 0 || self.method == 99 }

    /// The name as UTF-8. Flag bit 11 declares UTF-8; without it the zip format's encoding is code
    /// page 437, which is how a name that is not valid UTF-8 is read. A name that is valid UTF-8 is
    /// kept as it is even without the flag: many tools (Info-ZIP's zip on Linux among them) write
    /// UTF-8 names without setting it.
    var utf8Name: [UInt8] {
        guard self.flags & 0x0800 == 0, String(validating: self.name, as: UTF8.self) == nil else { return self.name }
        return CodePage437.utf8(of: self.name)
    }
}

/// A zip's end records and central directory, every count and offset checked against the file
/// before it is used. Reads only the end of the file and the directory, never entry data.
struct ZipDirectory {
    static let endRecordSize = 22
    static let centralRecordSize = 46
    static let localHeaderSize = 30

    var records: [ZipRecord]
    /// Where the central directory starts: entry data must end before it.
    var centralDirectoryOffset: UInt64

    /// - Parameter maxEntries: the most entries the directory may list; a larger count is refused
    ///   before any record is read, so memory follows the limit, not the archive's claim.
    init(file: ArchiveFile, maxEntries: Int = .max, maxFileCount: Int = 0) throws {
        // The end record is within the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
        // Like other readers, take the signature nearest the end.
        let tailLength = Int(min(file.size, UInt64(Self.endRecordSize + 0xFFFF)))
        let tailStart = file.size - UInt64(tailLength)
        let tail = try file.bytes(at: tailStart, count: tailLength)
        guard tail.count >= Self.endRecordSize,
            let endIndex = stride(from: tail.count - Self.endRecordSize, through: 0, by: -1).first(where: {
                tail[$0] == 0x50 && tail[$0 + 1] == 0x4B && tail[$0 + 2] == 0x05 && tail[$0 + 3] == 0x06
            })
        else {
            throw ArchiveScanStop.corrupt("the zip's end-of-central-directory record is missing")
        }
        let end = Array(tail[endIndex..<(endIndex + Self.endRecordSize)])
        guard endIndex + Self.endRecordSize + Int(end.le16(20)) <= tail.count else {
            throw ArchiveScanStop.corrupt("the zip's end-of-central-directory record is damaged")
        }
        let endPosition = tailStart + UInt64(endIndex)
        var disks = [UInt32(end.le16(4)), UInt32(end.le16(6))]
        var entriesOnDisk = UInt64(end.le16(8))
        var entryCount = UInt64(end.le16(10))
        var directorySize = UInt64(end.le32(12))
        var directoryOffset = UInt64(end.le32(16))
        var directoryLimit = endPosition

        // ZIP64: a locator right before the end record points to a larger end record.
        if endPosition >= 20 {
            let locator = try file.bytes(at: endPosition - 20, count: 20)
            if locator.count == 20, locator.starts(with: [0x50, 0x4B, 0x06, 0x07]) {
                let recordOffset = locator.le64(8)
                guard recordOffset <= endPosition - 20, endPosition - 20 - recordOffset >= 56 else {
                    throw ArchiveScanStop.corrupt("the zip's ZIP64 end record is damaged")
                }
                let record = try file.bytes(at: recordOffset, count: 56)
                guard record.count == 56, record.starts(with: [0x50, 0x4B, 0x06, 0x06]) else {
                    throw ArchiveScanStop.corrupt("the zip's ZIP64 end record is damaged")
                }
                disks += [locator.le32(4), record.le32(16), record.le32(20)]
                entriesOnDisk = record.le64(24)
                entryCount = record.le64(32)
                directorySize = record.le64(40)
                directoryOffset = record.le64(48)
                directoryLimit = recordOffset
            }
        }
        guard disks.allSatisfy({ $0 == 0 }), entriesOnDisk == entryCount else {
            throw ArchiveScanStop("split (multi-part) zip archives are not supported; upload a single-file zip")
        }
        guard directoryOffset <= directoryLimit, directorySize <= directoryLimit - directoryOffset else {
            throw ArchiveScanStop.corrupt("the zip's central directory lies outside the file")
        }
        // The count bounds the loop below, so checking it here bounds the records kept in memory.
        guard entryCount <= UInt64(maxEntries) else {
            throw ArchiveScanStop(ArchiveScan.tooManyEntries(limit: maxEntries, maxFileCount: maxFileCount))
        }
        guard entryCount <= directorySize / UInt64(Self.centralRecordSize) else {
            throw ArchiveScanStop.corrupt("the zip's central directory is smaller than its entry count says")
        }

        var records: [ZipRecord] = []
        records.reserveCapacity(Int(Swift.min(entryCount, 65_536)))
        var cursor = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for index in 0..<entryCount {
            let damaged = ArchiveScanStop.corrupt("entry \(index + 1) of the zip's central directory is damaged")
            guard directoryEnd - cursor >= UInt64(Self.centralRecordSize) else { throw damaged }
            let fixed = try file.bytes(at: cursor, count: Self.centralRecordSize)
            guard fixed.count == Self.centralRecordSize, fixed.starts(with: [0x50, 0x4B, 0x01, 0x02]) else {
                throw damaged
            }
            let nameLength = Int(fixed.le16(28))
            let extraLength = Int(fixed.le16(30))
            let commentLength = Int(fixed.le16(32))
            let variableLength = UInt64(nameLength + extraLength + commentLength)
            guard directoryEnd - cursor - UInt64(Self.centralRecordSize) >= variableLength else { throw damaged }
            let variable = try file.bytes(at: cursor + UInt64(Self.centralRecordSize), count: nameLength + extraLength)
            guard variable.count == nameLength + extraLength else { throw damaged }
            if fixed.le16(34) != 0 {
                throw ArchiveScanStop("split (multi-part) zip archives are not supported; upload a single-file zip")
            }
            records.append(
                Self.record(fixed: fixed, name: Array(variable[..<nameLength]), extra: Array(variable[nameLength...]))
            )
            cursor += UInt64(Self.centralRecordSize) + variableLength
        }
        self.records = records
        self.centralDirectoryOffset = directoryOffset
    }

    private static func record(fixed: [UInt8], name: [UInt8], extra: [UInt8]) -> ZipRecord {
        var record = ZipRecord(
            name: name,
            kind: Self.kind(versionMadeBy: fixed.le16(4), externalAttributes: fixed.le32(38), name: name),
            flags: fixed.le16(8),
            method: fixed.le16(10),
            crc32: fixed.le32(16),
            compressedSize: UInt64(fixed.le32(20)),
            uncompressedSize: UInt64(fixed.le32(24)),
            localHeaderOffset: UInt64(fixed.le32(42))
        )
        // ZIP64 extended information (0x0001) holds, in this order, whichever 32-bit fields are saturated.
        var needed: [WritableKeyPath<ZipRecord, UInt64>] = []
        if fixed.le32(24) == 0xFFFF_FFFF { needed.append(\.uncompressedSize) }
        if fixed.le32(20) == 0xFFFF_FFFF { needed.append(\.compressedSize) }
        if fixed.le32(42) == 0xFFFF_FFFF { needed.append(\.localHeaderOffset) }
        var cursor = 0
        while !needed.isEmpty, cursor + 4 <= extra.count {
            let identifier = extra.le16(cursor)
            let length = Int(extra.le16(cursor + 2))
            let data = cursor + 4
            guard data + length <= extra.count else { break }
            if identifier == 0x0001 {
                var field = data
                while !needed.isEmpty, field + 8 <= data + length {
                    record[keyPath: needed.removeFirst()] = extra.le64(field)
                    field += 8
                }
                break
            }
            cursor = data + length
        }
        return record
    }

    /// The entry's type from the Unix mode in the external attributes (when made on Unix or macOS),
    /// else from a trailing `/` or the MS-DOS directory attribute.
    private static func kind(
        versionMadeBy: UInt16,
        externalAttributes: UInt32,
        name: [UInt8]
    ) -> ArchiveEntryHeader.Kind {
        let endsWithSlash = name.last == UInt8(ascii: "/")
        let host = versionMadeBy >> 8
        guard host == 3 || host == 19 else {
            return endsWithSlash || externalAttributes & 0x10 != 0 ? .directory : .file
        }
        let mode = (externalAttributes >> 16) & 0o170000
        switch mode {
        case 0o040000: return .directory
        case 0o120000: return .symbolicLink(target: [])
        case 0o020000: return .characterDevice
        case 0o060000: return .blockDevice
        case 0o010000: return .fifo
        case 0o140000: return .socket
        case 0o100000, 0: return endsWithSlash ? .directory : .file
        default: return .unsupported("zip entry type 0o\(String(mode, radix: 8))")
        }
    }
}

extension Array where Element == UInt8 {
    func le16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func le32(_ offset: Int) -> UInt32 {
        UInt32(self.le16(offset)) | UInt32(self.le16(offset + 2)) << 16
    }

    func le64(_ offset: Int) -> UInt64 {
        UInt64(self.le32(offset)) | UInt64(self.le32(offset + 4)) << 32
    }
}
