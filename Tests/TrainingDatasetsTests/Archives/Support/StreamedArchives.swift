import CompressNIO
import Foundation
import NIOCore

/// Writes large hostile archives straight to disk, a buffer at a time, so that building them costs
/// the test process little memory (the memory measurements must see the scan, not the builder).
enum StreamedArchives {
    /// A ZIP64 zip of `count` empty entries (folders when `directories`), named `d0000001/` or
    /// `f0000001`: a central directory of `count` real records, with ZIP64 end records giving the count.
    static func zip64(to url: URL, count: Int, directories: Bool) throws {
        let output = try BufferedFile(url)
        func name(_ index: Int) -> [UInt8] {
            Array(String(format: directories ? "d%07d/" : "f%07d", index).utf8)
        }
        let nameLength = name(0).count
        let localSize = 30 + nameLength
        for index in 0..<count {
            var header: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
            header.le16(20)
            header.le16(0x0800)
            header += [UInt8](repeating: 0, count: 18)  // method, time, date, CRC, sizes: all 0
            header.le16(UInt16(nameLength))
            header.le16(0)
            try output.write(header + name(index))
        }
        let directoryOffset = UInt64(localSize * count)
        for index in 0..<count {
            var record: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
            record.le16(0x031E)
            record.le16(20)
            record.le16(0x0800)
            record += [UInt8](repeating: 0, count: 18)  // method, time, date, CRC, sizes
            record.le16(UInt16(nameLength))
            record.le16(0)  // extra
            record.le16(0)  // comment
            record.le16(0)  // disk
            record.le16(0)  // internal attributes
            record.le32((directories ? 0o040755 : 0o100644) << 16)
            record.le32(UInt32(localSize * index))
            try output.write(record + name(index))
        }
        let directorySize = UInt64((46 + nameLength) * count)
        let recordOffset = directoryOffset + directorySize
        var end: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
        end.le64(44)
        end.le16(0x032D)
        end.le16(45)
        end.le32(0)
        end.le32(0)
        end.le64(UInt64(count))
        end.le64(UInt64(count))
        end.le64(directorySize)
        end.le64(directoryOffset)
        end += [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0]
        end.le64(recordOffset)
        end.le32(1)
        end += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        end.le32(0xFFFF_FFFF)
        end.le32(0xFFFF_FFFF)
        end.le16(0)
        try output.write(end)
        try output.close()
    }
}

/// A tar.gz written entry by entry through one gzip compressor.
final class StreamedTarGzip {
    private let output: BufferedFile
    private let compressor: ZlibCompressor
    private var buffer = ByteBufferAllocator().buffer(capacity: 1 << 16)

    init(_ url: URL) throws {
        self.output = try BufferedFile(url)
        self.compressor = try ZlibCompressor(algorithm: .gzip)
    }

    /// One tar header (`type` "0" for a file, "5" for a folder) declaring `size` bytes of data.
    func header(_ name: String, type: Character, size: UInt64 = 0) throws {
        var tar = TarBuilder()
        tar.rawEntry(name: Array(name.utf8), type: type, size: size)
        try self.feed(tar.bytes)
    }

    /// `count` bytes of data that compress about 500:1, under the 1000:1 bomb guard: each 64 KiB
    /// starts with 64 bytes that differ from one block to the next. Padded to whole tar blocks.
    func data(count: UInt64) throws {
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var remaining = count
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        while remaining > 0 {
            for index in 0..<64 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                block[index] = UInt8(truncatingIfNeeded: seed >> 33)
            }
            let take = Int(min(remaining, UInt64(block.count)))
            try self.feed(Array(block[0..<take]))
            remaining -= UInt64(take)
        }
        let partial = Int(count % 512)
        if partial != 0 { try self.feed([UInt8](repeating: 0, count: 512 - partial)) }
    }

    /// `content` as a file's data, padded to whole blocks.
    func data(_ content: [UInt8]) throws {
        try self.feed(content)
        let partial = content.count % 512
        if partial != 0 { try self.feed([UInt8](repeating: 0, count: 512 - partial)) }
    }

    /// The end-of-archive marker, then the gzip trailer.
    func finish() throws {
        try self.feed([UInt8](repeating: 0, count: 1024))
        while true {
            var empty = ByteBuffer()
            do {
                try self.compressor.deflate(from: &empty, to: &self.buffer, flush: .finish)
                try self.drain()
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                try self.drain()
            }
        }
        try self.output.close()
    }

    private func feed(_ bytes: [UInt8]) throws {
        var input = ByteBuffer(bytes: bytes)
        while input.readableBytes > 0 {
            do {
                try self.compressor.deflate(from: &input, to: &self.buffer, flush: .no)
            } catch let error as CompressNIOError where error == .bufferOverflow {}
            try self.drain()
        }
    }

    private func drain() throws {
        try self.output.write(Array(self.buffer.readableBytesView))
        self.buffer.clear()
    }
}

/// A file written through a 1 MiB buffer.
final class BufferedFile {
    private let handle: FileHandle
    private var pending: [UInt8] = []

    init(_ url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        self.handle = try FileHandle(forWritingTo: url)
        self.pending.reserveCapacity(1 << 20)
    }

    func write(_ bytes: [UInt8]) throws {
        self.pending += bytes
        if self.pending.count >= 1 << 20 { try self.flush() }
    }

    func close() throws {
        try self.flush()
        try self.handle.close()
    }

    private func flush() throws {
        try self.handle.write(contentsOf: Data(self.pending))
        self.pending.removeAll(keepingCapacity: true)
    }
}

/// The process's resident memory, from `/proc/self/status`.
enum MemoryProbe {
    /// How far the resident set rose above its level before `body` at its peak while `body` ran.
    /// Resets the kernel's peak mark first (`/proc/self/clear_refs`), so earlier peaks do not count;
    /// other tests running at the same time do, so bounds must leave room for them.
    static func peakGrowth(during body: () throws -> Void) rethrows -> UInt64 {
        if let reset = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            try? reset.write(contentsOf: Data("5".utf8))
            try? reset.close()
        }
        let before = self.kibibytes("VmRSS")
        try body()
        let peak = self.kibibytes("VmHWM")
        return peak > before ? (peak - before) * 1024 : 0
    }

    private static func kibibytes(_ field: String) -> UInt64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return UInt64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
