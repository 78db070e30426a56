import CompressNIO
import Foundation
import NIOCore

/// A genuine zip bomb: one entry of `chunks` MiB of zeros, deflated 1 MiB at a time straight into the
/// file, so neither the zeros nor the zip are ever whole in memory.
enum ZipBomb {
    /// CRC-32 of 200 MiB of zeros.
    static let crcOf200MiBZeros: UInt32 = 0x534F_0861

    static func write(to url: URL, name: String = "zeros.wav") throws {
        let chunks = 200
        let size = UInt32(chunks << 20)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }

        func localHeader(compressedSize: UInt32) -> [UInt8] {
            var header: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
            header.le16(20)
            header.le16(0)
            header.le16(8)
            header.le16(0)
            header.le16(0x5A21)
            header.le32(Self.crcOf200MiBZeros)
            header.le32(compressedSize)
            header.le32(size)
            header.le16(UInt16(name.utf8.count))
            header.le16(0)
            return header + Array(name.utf8)
        }
        try handle.write(contentsOf: localHeader(compressedSize: 0))

        let compressor = try ZlibCompressor(algorithm: .deflate)
        var output = ByteBufferAllocator().buffer(capacity: 1 << 16)
        var compressedSize = 0
        func drain() throws {
            compressedSize += output.readableBytes
            try handle.write(contentsOf: Data(output.readableBytesView))
            output.clear()
        }
        let zeros = ByteBuffer(repeating: 0, count: 1 << 20)
        for _ in 0..<chunks {
            var input = zeros
            while input.readableBytes > 0 {
                do {
                    try compressor.deflate(from: &input, to: &output, flush: .no)
                } catch let error as CompressNIOError where error == .bufferOverflow {}
                try drain()
            }
        }
        while true {
            var empty = ByteBuffer()
            do {
                try compressor.deflate(from: &empty, to: &output, flush: .finish)
                try drain()
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                try drain()
            }
        }

        var directory: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        directory.le16(0x031E)
        directory += localHeader(compressedSize: UInt32(compressedSize))[4..<30]
        directory += [0, 0, 0, 0, 0, 0]  // comment length, disk, internal attributes
        directory.le32(0o100644 << 16)
        directory.le32(0)
        directory += Array(name.utf8)
        let directoryOffset = UInt32(30 + name.utf8.count + compressedSize)
        var end: [UInt8] = [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]
        end.le32(UInt32(directory.count))
        end.le32(directoryOffset)
        end.le16(0)
        try handle.write(contentsOf: directory + end)
        try handle.seek(toOffset: 18)
        var patched: [UInt8] = []
        patched.le32(UInt32(compressedSize))
        try handle.write(contentsOf: patched)
    }
}
