import NIOCore

/// A forward-only stream of bytes.
protocol ArchiveByteSource: AnyObject {
    /// Appends bytes to `buffer`, within its writable capacity (which must not be zero), and returns
    /// false once the stream has ended.
    func read(into buffer: inout ByteBuffer) throws -> Bool
}

/// A byte range of a file, read front to back.
final class FileRangeSource: ArchiveByteSource {
    private let file: ArchiveFile
    private(set) var offset: UInt64
    let end: UInt64

    init(file: ArchiveFile, from start: UInt64 = 0, to end: UInt64? = nil) {
        self.file = file
        self.offset = start
        self.end = end ?? file.size
    }

    /// True once the whole range has been read.
    var isAtEnd: Bool { self.offset >= self.end }

    func read(into buffer: inout ByteBuffer) throws -> Bool {
        guard self.offset < self.end, buffer.writableBytes > 0 else { return false }
        let wanted = Int(min(UInt64(buffer.writableBytes), self.end - self.offset))
        let offset = self.offset
        let file = self.file
        let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { space in
            try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: space[0..<wanted]))
        }
        self.offset += UInt64(read)
        // A short file ends the range early; callers that need every byte notice the shortfall.
        return read > 0
    }
}
