import NIOCore

/// A tar stream read in 512-byte blocks and runs of entry data, through one fixed buffer.
///
/// Every byte of the stream counts against `maxBytes`, whether the scan keeps it or skips it: a
/// skipped entry that would inflate to gigabytes is refused from its header, before it is read.
final class TarStream {
    private let source: any ArchiveByteSource
    private var buffer: ByteBuffer
    private let maxBytes: UInt64?
    private let maxFileBytes: UInt64
    /// Bytes of the (uncompressed) tar stream consumed so far.
    private(set) var offset: UInt64 = 0

    /// - Parameters:
    ///   - maxBytes: the most bytes the stream may hold up to its end-of-archive marker (nil: no limit).
    ///   - maxFileBytes: the files' size limit behind `maxBytes`, for the message.
    init(source: any ArchiveByteSource, maxBytes: UInt64? = nil, maxFileBytes: UInt64 = 0) {
        self.source = source
        self.buffer = ByteBufferAllocator().buffer(capacity: InflateBuffers.chunkSize)
        self.maxBytes = maxBytes
        self.maxFileBytes = maxFileBytes
    }

    /// Refuses to go on if `count` more bytes would take the stream past `maxBytes`.
    private func admit(_ count: UInt64) throws {
        guard let maxBytes else { return }
        let (end, overflow) = self.offset.addingReportingOverflow(count)
        guard overflow || end > maxBytes else { return }
        throw ArchiveScanStop(
            "the archive's entries come to more than \(ByteCount(maxBytes)) (every entry counted, skipped ones "
                + "included, with their headers), more than a dataset of at most \(ByteCount(self.maxFileBytes)) needs; "
                + "the archive is corrupt or a decompression bomb"
        )
    }

    /// The next block; nil at the end of the stream.
    func readBlock() throws -> [UInt8]? {
        try self.admit(UInt64(TarHeader.blockSize))
        while self.buffer.readableBytes < TarHeader.blockSize {
            if self.buffer.writableBytes == 0 {
                self.buffer.discardReadBytes()
            }
            guard try self.source.read(into: &self.buffer) else {
                guard self.buffer.readableBytes == 0 else {
                    throw ArchiveScanStop.corrupt("the tar data ends in the middle of a header")
                }
                return nil
            }
        }
        self.offset += UInt64(TarHeader.blockSize)
        return self.buffer.readBytes(length: TarHeader.blockSize)
    }

    /// Streams the next `count` bytes to `body` in pieces; after `body` returns false (or without a
    /// body) the rest is read and dropped.
    func readData(_ count: UInt64, _ body: ((UnsafeRawBufferPointer) throws -> Bool)? = nil) throws {
        try self.admit(count)
        var remaining = count
        var wanted = body != nil
        while remaining > 0 {
            if self.buffer.readableBytes == 0 {
                if Task.isCancelled { throw CancellationError() }
                self.buffer.clear()
                guard try self.source.read(into: &self.buffer) else {
                    throw ArchiveScanStop.corrupt("the tar data ends in the middle of an entry")
                }
            }
            let take = Int(min(UInt64(self.buffer.readableBytes), remaining))
            if wanted, let body {
                wanted = try self.buffer.withUnsafeReadableBytes { bytes in
                    try body(UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
                }
            }
            self.buffer.moveReaderIndex(forwardBy: take)
            remaining -= UInt64(take)
            self.offset += UInt64(take)
        }
    }

    /// Skips the zeros that pad `count` bytes of data to a whole block.
    func skipPadding(after count: UInt64) throws {
        let partial = count % UInt64(TarHeader.blockSize)
        if partial != 0 {
            try self.readData(UInt64(TarHeader.blockSize) - partial)
        }
    }

    /// Reads a small record (a GNU long name, a PAX header) whole.
    func readRecord(_ count: UInt64, limit: Int, what: String) throws -> [UInt8] {
        guard count <= UInt64(limit) else {
            throw ArchiveScanStop.corrupt("\(what) is larger than \(ByteCount(UInt64(limit)))")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(count))
        try self.readData(count) { piece in
            bytes += piece
            return true
        }
        try self.skipPadding(after: count)
        return bytes
    }

    /// Reads and drops the rest of the stream; false if more than `limit` bytes remain.
    func drain(limit: UInt64) throws -> Bool {
        var seen: UInt64 = 0
        while true {
            seen += UInt64(self.buffer.readableBytes)
            guard seen <= limit else { return false }
            self.buffer.clear()
            guard try self.source.read(into: &self.buffer) else { return true }
        }
    }
}
