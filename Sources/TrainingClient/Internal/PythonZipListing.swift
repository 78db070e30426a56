import Foundation

/// A zip's entries as CPython 3.11's `zipfile.ZipFile(path)` lists them (`_EndRecData`,
/// `_EndRecData64`, `_RealGetContents`, `ZipInfo.__init__` and `_decodeExtra`): the same entries in
/// the same order, the same names (UTF-8 when the entry says so, else code page 437; cut at a NUL)
/// and sizes, and the same exception where Python raises one. The SDK's dataset check runs on this
/// listing, so a check built on it gives the SDK's verdict. The directory is read in pieces, never
/// whole.
struct PythonZipListing {
    struct Entry {
        /// `ZipInfo.filename`.
        var filename: String
        /// `ZipInfo.file_size`: the uncompressed size the central directory states.
        var fileSize: UInt64
    }

    /// An exception `ZipFile(path)` raises: its Python type (`BadZipFile`, `UnicodeDecodeError`,
    /// `NotImplementedError`) and message.
    struct Raised: Error, Hashable {
        var type: String
        var message: String

        static let notAZip = Raised(type: "BadZipFile", message: "File is not a zip file")
    }

    private static let endRecordSize: UInt64 = 22
    private static let locatorSize: UInt64 = 20
    private static let end64Size: UInt64 = 56
    private static let centralRecordSize = 46
    private static let maxExtractVersion = 63

    /// Calls `body` with each entry, in central-directory order. Throws ``Raised`` where
    /// `ZipFile(path)` raises, and the file system's error when the file cannot be read.
    static func forEachEntry(in file: URL, _ body: (Entry) throws -> Void) throws {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let fileSize = try handle.seekToEnd()
        let end = try endRecord(handle, fileSize: fileSize)

        var concat = Int128(end.location) - Int128(end.directorySize) - Int128(end.directoryOffset)
        if end.isZip64 { concat -= Int128(end64Size + locatorSize) }
        let start = Int128(end.directoryOffset) + concat
        guard start >= 0 else { throw Raised(type: "BadZipFile", message: "Bad offset for central directory") }
        let available = start < Int128(fileSize) ? UInt64(Int128(fileSize) - start) : 0
        var directory = RegionReader(handle: handle, start: UInt64(start), length: min(end.directorySize, available))

        var total: UInt64 = 0
        while total < end.directorySize {
            let fixed = try directory.read(centralRecordSize)
            guard fixed.count == centralRecordSize else { throw Raised(type: "BadZipFile", message: "Truncated central directory") }
            guard fixed.starts(with: [0x50, 0x4B, 0x01, 0x02]) else {
                throw Raised(type: "BadZipFile", message: "Bad magic number for central directory")
            }
            let nameLength = Int(fixed.le16(28))
            let extraLength = Int(fixed.le16(30))
            let commentLength = Int(fixed.le16(32))
            let nameBytes = try directory.read(nameLength)
            var filename: String
            if fixed.le16(8) & 0x800 != 0 {
                guard let decoded = String(validating: nameBytes, as: UTF8.self) else {
                    throw Raised(type: "UnicodeDecodeError", message: "'utf-8' codec can't decode a file name marked UTF-8")
                }
                filename = decoded
            } else {
                filename = CodePage437.decode(nameBytes)
            }
            if let nul = filename.unicodeScalars.firstIndex(of: "\0") {
                filename = String(filename.unicodeScalars[..<nul])
            }
            let extra = try directory.read(extraLength)
            _ = try directory.read(commentLength)
            let extractVersion = Int(fixed[6])
            guard extractVersion <= maxExtractVersion else {
                throw Raised(type: "NotImplementedError", message: String(format: "zip file version %.1f", Double(extractVersion) / 10))
            }
            let fileSize = try decodeExtra(
                extra, fileSize: UInt64(fixed.le32(24)), compressSize: fixed.le32(20), headerOffset: fixed.le32(42)
            )
            try body(Entry(filename: filename, fileSize: fileSize))
            total += UInt64(centralRecordSize + nameLength + extraLength + commentLength)
        }
    }

    private struct EndRecord {
        var directorySize: UInt64
        var directoryOffset: UInt64
        /// Where the (32-bit) end record starts.
        var location: UInt64
        var isZip64 = false
    }

    /// `_EndRecData`: the end record at the very end (no comment), else the last signature within
    /// the last 64 KiB + 22 bytes; then `_EndRecData64`.
    private static func endRecord(_ handle: FileHandle, fileSize: UInt64) throws -> EndRecord {
        guard fileSize >= endRecordSize else { throw Raised.notAZip }
        let last = try read(handle, at: fileSize - endRecordSize, count: Int(endRecordSize))
        var end: EndRecord
        if last.count == Int(endRecordSize), last.starts(with: [0x50, 0x4B, 0x05, 0x06]), last[20] == 0, last[21] == 0 {
            end = EndRecord(directorySize: UInt64(last.le32(12)), directoryOffset: UInt64(last.le32(16)), location: fileSize - endRecordSize)
        } else {
            let searchStart = fileSize > (1 << 16) + endRecordSize ? fileSize - (1 << 16) - endRecordSize : 0
            let tail = try read(handle, at: searchStart, count: Int(fileSize - searchStart))
            guard tail.count >= 4,
                let index = stride(from: tail.count - 4, through: 0, by: -1).first(where: {
                    tail[$0] == 0x50 && tail[$0 + 1] == 0x4B && tail[$0 + 2] == 0x05 && tail[$0 + 3] == 0x06
                }),
                index + Int(endRecordSize) <= tail.count
            else { throw Raised.notAZip }
            let record = Array(tail[index..<(index + Int(endRecordSize))])
            end = EndRecord(
                directorySize: UInt64(record.le32(12)), directoryOffset: UInt64(record.le32(16)), location: searchStart + UInt64(index)
            )
        }
        try readZip64(handle, into: &end)
        return end
    }

    /// `_EndRecData64`: a ZIP64 locator right before the end record, and the ZIP64 end record right
    /// before it, replace the directory's size and offset.
    private static func readZip64(_ handle: FileHandle, into end: inout EndRecord) throws {
        guard end.location >= locatorSize else { return }
        let locator = try read(handle, at: end.location - locatorSize, count: Int(locatorSize))
        guard locator.count == Int(locatorSize), locator.starts(with: [0x50, 0x4B, 0x06, 0x07]) else { return }
        guard locator.le32(4) == 0, locator.le32(16) <= 1 else {
            throw Raised(type: "BadZipFile", message: "zipfiles that span multiple disks are not supported")
        }
        // Python seeks there outside its try: a negative position is an OSError, reported as not a zip.
        guard end.location >= locatorSize + end64Size else { throw Raised.notAZip }
        let record = try read(handle, at: end.location - locatorSize - end64Size, count: Int(end64Size))
        guard record.count == Int(end64Size), record.starts(with: [0x50, 0x4B, 0x06, 0x06]) else { return }
        end.directorySize = record.le64(40)
        end.directoryOffset = record.le64(48)
        end.isZip64 = true
    }

    /// `ZipInfo._decodeExtra`: the ZIP64 field's file size, and Python's exceptions for damaged fields.
    private static func decodeExtra(_ extra: [UInt8], fileSize: UInt64, compressSize: UInt32, headerOffset: UInt32) throws -> UInt64 {
        var fileSize = fileSize
        var rest = extra[...]
        while rest.count >= 4 {
            let type = UInt16(rest[rest.startIndex]) | UInt16(rest[rest.startIndex + 1]) << 8
            let length = Int(UInt16(rest[rest.startIndex + 2]) | UInt16(rest[rest.startIndex + 3]) << 8)
            guard length + 4 <= rest.count else {
                let hex = String(type, radix: 16)
                throw Raised(type: "BadZipFile", message: "Corrupt extra field \(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) (size=\(length))")
            }
            if type == 0x0001 {
                var data = Array(rest[(rest.startIndex + 4)..<(rest.startIndex + 4 + length)])[...]
                func next(_ field: String) throws -> UInt64 {
                    guard data.count >= 8 else { throw Raised(type: "BadZipFile", message: "Corrupt zip64 extra field. \(field) not found.") }
                    let value = Array(data.prefix(8)).le64(0)
                    data = data.dropFirst(8)
                    return value
                }
                if fileSize == 0xFFFF_FFFF { fileSize = try next("File size") }
                if compressSize == 0xFFFF_FFFF { _ = try next("Compress size") }
                if headerOffset == 0xFFFF_FFFF { _ = try next("Header offset") }
            }
            rest = rest.dropFirst(length + 4)
        }
        return fileSize
    }

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) throws -> [UInt8] {
        try handle.seek(toOffset: offset)
        return Array(try handle.read(upToCount: count) ?? Data())
    }

    /// Reads a region of the file front to back in 64 KiB pieces; a read past its end comes back short.
    private struct RegionReader {
        let handle: FileHandle
        var position: UInt64
        let end: UInt64
        var buffer: [UInt8] = []
        var bufferStart = 0

        init(handle: FileHandle, start: UInt64, length: UInt64) {
            self.handle = handle
            self.position = start
            self.end = start + length
        }

        mutating func read(_ count: Int) throws -> [UInt8] {
            var result: [UInt8] = []
            while result.count < count {
                if bufferStart == buffer.count {
                    guard position < end else { break }
                    buffer = try PythonZipListing.read(handle, at: position, count: Int(min(1 << 16, end - position)))
                    bufferStart = 0
                    guard !buffer.isEmpty else { break }
                    position += UInt64(buffer.count)
                }
                let take = min(count - result.count, buffer.count - bufferStart)
                result += buffer[bufferStart..<(bufferStart + take)]
                bufferStart += take
            }
            return result
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func le16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    fileprivate func le32(_ offset: Int) -> UInt32 {
        UInt32(le16(offset)) | UInt32(le16(offset + 2)) << 16
    }

    fileprivate func le64(_ offset: Int) -> UInt64 {
        UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32
    }
}
