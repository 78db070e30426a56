public import Foundation

/// The archive formats a dataset may be uploaded in.
///
/// The format is always judged from the file's bytes, because a user-supplied name can lie:
///
/// ```swift
/// let format = try ArchiveFormat.detect(at: upload)          // .tarGzip even if named "data.zip"
/// let named = ArchiveFormat(fileName: "speech.tgz")          // .tarGzip, only a hint
/// ```
public enum ArchiveFormat: String, Sendable, CaseIterable {
    case zip
    case tar
    case tarGzip = "tar.gz"

    /// Detects the format from the file's content (magic bytes: zip `PK\u{3}\u{4}`, or `PK\u{5}\u{6}` for
    /// an empty zip; gzip `1f 8b` wrapping a tar; a ustar or old-style tar header with a valid checksum),
    /// never from its name.
    ///
    /// - Throws: ``ArchiveError`` with code ``ArchiveError/Code/unsupportedFormat`` when the content is
    ///   none of these; ``ArchiveStorageError`` when the file cannot be read.
    public static func detect(at url: URL) throws -> ArchiveFormat {
        let file = try ArchiveFile(url: url)
        guard let format = try ArchiveSniffer.format(of: file) else {
            throw ArchiveError.unsupportedFormat()
        }
        return format
    }

    /// Whether a file's first bytes already show that it is no zip, tar or tar.gz, so an upload can be
    /// refused while it is still arriving. `head` is the start of the file (any length) and
    /// `fileSize` the whole file's: a tar needs a 512-byte header, so a shorter head decides only
    /// when it is the whole file. False when the bytes could still start an archive.
    public static func isRuledOut(byFirstBytes head: some Collection<UInt8>, fileSize: UInt64) -> Bool {
        let prefix = Array(head.prefix(TarHeader.blockSize))
        if ArchiveSniffer.startsLikeZipOrGzip(prefix) { return false }
        if prefix.count == TarHeader.blockSize {
            return !(TarHeader.isZeroBlock(prefix) || TarHeader.hasValidChecksum(prefix))
        }
        return UInt64(prefix.count) >= fileSize
    }

    /// The format a file name's extension names (`x.tar.gz`, `x.tgz`, `x.zip`, `x.tar`, any case), or
    /// nil for any other name.
    public init?(fileName: String) {
        let name = fileName.lowercased()
        if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") {
            self = .tarGzip
        } else if name.hasSuffix(".zip") {
            self = .zip
        } else if name.hasSuffix(".tar") {
            self = .tar
        } else {
            return nil
        }
    }
}
