import CompressNIO
import Foundation
import NIOCore
import ZIPFoundation

/// Well-formed zips, written by ZIPFoundation.
enum ZipFixture {
    /// Paths ending in `/` become directories.
    static func write(_ entries: [(String, [UInt8])], to url: URL, compression: CompressionMethod = .deflate) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, contents) in entries {
            if path.hasSuffix("/") {
                try archive.addEntry(with: path, type: .directory, uncompressedSize: Int64(0)) { _, _ in Data() }
                continue
            }
            let data = Data(contents)
            try archive.addEntry(
                with: path,
                type: .file,
                uncompressedSize: Int64(data.count),
                compressionMethod: compression
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}

/// Zips assembled byte by byte, for the hostile cases no zip tool writes.
struct RawZipBuilder {
    struct Entry {
        var name: [UInt8]
        /// The bytes stored in the archive (already deflated when `method` is 8).
        var data: [UInt8]
        var method: UInt16 = 0
        var flags: UInt16 = 0x0800  // UTF-8 names
        var crc32: UInt32
        var uncompressedSize: UInt32
        /// Unix, zip 3.0: the external attributes carry a Unix mode.
        var versionMadeBy: UInt16 = 0x031E
        var unixMode: UInt32 = 0o100644
        /// A different name for the local header than the central directory's.
        var localName: [UInt8]?
        /// When false the entry has no local record of its own; `localHeaderOffset` must point at one.
        var emitsLocalRecord = true
        var localHeaderOffset: UInt32?
    }

    var entries: [Entry] = []
    /// Leave the end-of-central-directory record out (a truncated zip).
    var omitsEndRecord = false
    /// Write sizes and offsets the ZIP64 way: saturated 32-bit fields, an extended-information extra
    /// field, and a ZIP64 end record with its locator.
    var zip64 = false
    /// Disk numbers in the end record, for a split archive.
    var diskNumber: UInt16 = 0

    static func stored(_ name: String, _ contents: [UInt8]) -> Entry {
        Entry(
            name: Array(name.utf8),
            data: contents,
            crc32: Data(contents).crc32(checksum: 0),
            uncompressedSize: UInt32(contents.count)
        )
    }

    static func deflated(_ name: String, _ contents: [UInt8]) throws -> Entry {
        Entry(
            name: Array(name.utf8),
            data: try Deflate.raw(contents),
            method: 8,
            crc32: Data(contents).crc32(checksum: 0),
            uncompressedSize: UInt32(contents.count)
        )
    }

    /// An entry's local header followed by its data.
    static func localRecord(_ entry: Entry) -> [UInt8] {
        let name = entry.localName ?? entry.name
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        bytes.le16(20)
        bytes.le16(entry.flags)
        bytes.le16(entry.method)
        bytes.le16(0)
        bytes.le16(0x5A21)
        bytes.le32(entry.crc32)
        bytes.le32(UInt32(entry.data.count))
        bytes.le32(entry.uncompressedSize)
        bytes.le16(UInt16(name.count))
        bytes.le16(0)
        return bytes + name + entry.data
    }

    func build() -> [UInt8] {
        var bytes: [UInt8] = []
        var offsets: [UInt32] = []
        for entry in self.entries {
            if entry.emitsLocalRecord {
                offsets.append(entry.localHeaderOffset ?? UInt32(bytes.count))
                bytes += Self.localRecord(entry)
            } else {
                offsets.append(entry.localHeaderOffset!)
            }
        }
        let directoryOffset = UInt32(bytes.count)
        for (entry, offset) in zip(self.entries, offsets) {
            bytes += [0x50, 0x4B, 0x01, 0x02]
            bytes.le16(entry.versionMadeBy)
            bytes.le16(20)
            bytes.le16(entry.flags)
            bytes.le16(entry.method)
            bytes.le16(0)
            bytes.le16(0x5A21)
            bytes.le32(entry.crc32)
            var extra: [UInt8] = []
            if self.zip64 {
                bytes += [UInt8](repeating: 0xFF, count: 8)
                extra.le16(0x0001)
                extra.le16(24)
                extra.le64(UInt64(entry.uncompressedSize))
                extra.le64(UInt64(entry.data.count))
                extra.le64(UInt64(offset))
            } else {
                bytes.le32(UInt32(entry.data.count))
                bytes.le32(entry.uncompressedSize)
            }
            bytes.le16(UInt16(entry.name.count))
            bytes.le16(UInt16(extra.count))
            bytes.le16(0)
            bytes.le16(0)
            bytes.le16(0)
            bytes.le32(entry.unixMode << 16)
            bytes.le32(self.zip64 ? 0xFFFF_FFFF : offset)
            bytes += entry.name + extra
        }
        let directorySize = UInt32(bytes.count) - directoryOffset
        guard !self.omitsEndRecord else { return bytes }
        if self.zip64 {
            let recordOffset = UInt64(bytes.count)
            bytes += [0x50, 0x4B, 0x06, 0x06]
            bytes.le64(44)
            bytes.le16(0x032D)
            bytes.le16(45)
            bytes.le32(0)
            bytes.le32(0)
            bytes.le64(UInt64(self.entries.count))
            bytes.le64(UInt64(self.entries.count))
            bytes.le64(UInt64(directorySize))
            bytes.le64(UInt64(directoryOffset))
            bytes += [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0]
            bytes.le64(recordOffset)
            bytes.le32(1)
        }
        bytes += [0x50, 0x4B, 0x05, 0x06]
        bytes.le16(self.diskNumber)
        bytes.le16(self.diskNumber)
        bytes.le16(self.zip64 ? 0xFFFF : UInt16(self.entries.count))
        bytes.le16(self.zip64 ? 0xFFFF : UInt16(self.entries.count))
        bytes.le32(self.zip64 ? 0xFFFF_FFFF : directorySize)
        bytes.le32(self.zip64 ? 0xFFFF_FFFF : directoryOffset)
        bytes.le16(0)
        return bytes
    }
}

extension [UInt8] {
    mutating func le16(_ value: UInt16) {
        self += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    mutating func le32(_ value: UInt32) {
        self.le16(UInt16(value & 0xFFFF))
        self.le16(UInt16(value >> 16))
    }

    mutating func le64(_ value: UInt64) {
        self.le32(UInt32(value & 0xFFFF_FFFF))
        self.le32(UInt32(value >> 32))
    }
}

enum Deflate {
    /// Raw deflate, as zip stores it.
    static func raw(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        return Array(try buffer.compress(with: .deflate).readableBytesView)
    }

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        return Array(try buffer.compress(with: .gzip).readableBytesView)
    }
}
