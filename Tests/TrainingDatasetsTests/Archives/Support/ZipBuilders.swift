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
            bytes.le32(UInt32(entry.data.count))
            bytes.le32(entry.uncompressedSize)
            bytes.le16(UInt16(entry.name.count))
            bytes.le16(0)
            bytes.le16(0)
            bytes.le16(0)
            bytes.le16(0)
            bytes.le32(entry.unixMode << 16)
            bytes.le32(offset)
            bytes += entry.name
        }
        let directorySize = UInt32(bytes.count) - directoryOffset
        guard !self.omitsEndRecord else { return bytes }
        bytes += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0]
        bytes.le16(UInt16(self.entries.count))
        bytes.le16(UInt16(self.entries.count))
        bytes.le32(directorySize)
        bytes.le32(directoryOffset)
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
