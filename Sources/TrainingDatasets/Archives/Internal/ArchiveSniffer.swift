import NIOCore

/// Recognises archive formats from their first bytes.
enum ArchiveSniffer {
    /// The format of a whole upload, or nil if it is none we accept.
    static func format(of file: ArchiveFile) throws -> ArchiveFormat? {
        let head = try file.bytes(at: 0, count: TarHeader.blockSize)
        if self.isZip(head) {
            return .zip
        }
        if self.isGzip(head) {
            return try self.gzipHoldsTar(file) ? .tarGzip : nil
        }
        if head.count == TarHeader.blockSize,
            TarHeader.isZeroBlock(head) || TarHeader.hasValidChecksum(head)
        {
            return .tar
        }
        return nil
    }

    /// What kind of archive a file's first bytes (up to 512) show, if any: used to refuse nested archives.
    static func nestedArchiveKind(_ prefix: [UInt8]) -> String? {
        if self.isZip(prefix) || prefix.starts(with: [0x50, 0x4B, 0x07, 0x08]) { return "zip" }
        if self.isGzip(prefix) { return "gzip" }
        if prefix.count == TarHeader.blockSize, TarHeader.hasValidChecksum(prefix) { return "tar" }
        if prefix.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return "7z" }
        if prefix.starts(with: Array("Rar!\u{1A}\u{07}".utf8)) { return "rar" }
        if prefix.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz" }
        if prefix.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return "zstd" }
        if prefix.count >= 10, prefix.starts(with: Array("BZh".utf8)),
            (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(prefix[3]),
            prefix[4..<10].elementsEqual([0x31, 0x41, 0x59, 0x26, 0x53, 0x59] as [UInt8])
        {
            return "bzip2"
        }
        return nil
    }

    /// Zip or gzip magic (a gzip is judged by its content later).
    static func startsLikeZipOrGzip(_ head: [UInt8]) -> Bool {
        self.isZip(head) || self.isGzip(head)
    }

    private static func isZip(_ head: [UInt8]) -> Bool {
        head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    /// Gzip magic, deflate method, no reserved flag bits.
    private static func isGzip(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0x1F && head[1] == 0x8B && head[2] == 0x08 && head[3] & 0xE0 == 0
    }

    /// Whether the gzip data starts with a tar block. Damaged or truncated gzip data counts as a tar.gz,
    /// so that the scan can say what is wrong with it rather than "unsupported format".
    private static func gzipHoldsTar(_ file: ArchiveFile) throws -> Bool {
        let source = try GzipSource(file: file, ratioGuard: nil)
        var block = ByteBufferAllocator().buffer(capacity: TarHeader.blockSize)
        do {
            while block.writableBytes > 0, try source.read(into: &block) {}
        } catch is ArchiveScanStop {
            return true
        }
        guard block.readableBytes >= TarHeader.blockSize else { return false }
        let bytes = Array(block.readableBytesView.prefix(TarHeader.blockSize))
        return TarHeader.isZeroBlock(bytes) || TarHeader.hasValidChecksum(bytes)
    }
}
