public import Foundation

/// Inspects and extracts dataset archives (zip, tar, tar.gz) uploaded by untrusted users.
///
/// Extraction makes two passes. Pass 1 reads every entry, writing nothing, and throws an
/// ``ArchiveError`` listing every rule the archive breaks: sizes, counts and file types against the
/// ``ArchiveLimits``; unsafe entries (absolute paths, `..`, links, devices, duplicate or case-colliding
/// names, names that are not UTF-8); decompression bombs; nested archives; encrypted, truncated or
/// corrupt data. Pass 2 writes the regular files under the destination, never outside it, and never
/// more bytes than pass 1 accepted, whatever the headers claim. The archive and its entries are
/// streamed through fixed buffers, never loaded whole. macOS metadata (`__MACOSX/`, `._*`,
/// `.DS_Store`) is skipped.
///
/// These calls block while they read (and write) the whole archive: run them off the concurrency
/// pool's cooperative threads. They stop with `CancellationError` when the calling task is cancelled.
///
/// ```swift
/// let limits = ArchiveLimits(maxTotalBytes: 100 << 20, allowedFileExtensions: ["wav"])
/// do {
///     let summary = try ArchiveExtractor.extract(archive: upload, into: emptyFolder, limits: limits)
///     print("\(summary.fileCount) files, \(summary.totalBytes) bytes")
/// } catch let error as ArchiveError {
///     // The uploader's problem: show error.violations.
/// }
/// ```
public enum ArchiveExtractor {
    /// Checks every entry (pass 1 of ``extract(archive:into:limits:)``) without writing anything.
    ///
    /// For zip and tar.gz this decompresses all the data (bounded by the limits and the bomb guard) to
    /// verify checksums and sizes, so it costs about as much time as extracting.
    ///
    /// - Throws: ``ArchiveError`` for an unsupported or rule-breaking archive; ``ArchiveStorageError``
    ///   when the file cannot be read.
    public static func inspect(archive: URL, limits: ArchiveLimits) throws -> ArchiveSummary {
        let file = try ArchiveFile(url: archive)
        guard let format = try ArchiveSniffer.format(of: file) else { throw ArchiveError.unsupportedFormat() }
        return try self.scan(file, format: format, limits: limits, mode: .inspect)
    }

    /// Inspects the archive, then extracts its regular files (and directories) under `directory`.
    ///
    /// Files are created with mode 0644 and directories with 0755, whatever the archive says. On any
    /// failure whatever was written under `directory` is removed again.
    ///
    /// The extraction keeps `diskSpace`'s reserve free: the inspected total is checked against the
    /// free space before the first file is written, and every write is checked again while writing.
    ///
    /// - Parameters:
    ///   - directory: an existing, empty directory.
    ///   - diskSpace: the free-space reserve to keep; nil: the default reserve
    ///     (``DiskSpaceGuard/init(directory:reserveBytes:)``) on `directory`'s volume.
    /// - Throws: ``ArchiveError`` for an unsupported or rule-breaking archive; `TrainingError`
    ///   RESOURCE_EXHAUSTED (``DiskSpaceGuard/lowOnSpace``) when the files would go below the reserve
    ///   or the disk is full; ``ArchiveStorageError`` when the archive cannot be read, `directory`
    ///   is missing or not empty, or writing fails otherwise.
    public static func extract(
        archive: URL,
        into directory: URL,
        limits: ArchiveLimits,
        diskSpace: DiskSpaceGuard? = nil
    ) throws -> ArchiveSummary {
        try self.extract(archive: archive, into: directory, limits: limits, diskSpace: diskSpace, beforeWritingFile: nil)
    }

    /// ``extract(archive:into:limits:)`` with a hook called before each file is created in pass 2,
    /// so tests can make extraction fail half-way.
    package static func extract(
        archive: URL,
        into directory: URL,
        limits: ArchiveLimits,
        diskSpace: DiskSpaceGuard? = nil,
        beforeWritingFile: ((String) throws -> Void)?
    ) throws -> ArchiveSummary {
        let space = diskSpace ?? DiskSpaceGuard(directory: directory)
        let destination = try ExtractionDirectory(root: directory, diskSpace: space)
        let file = try ArchiveFile(url: archive)
        guard let format = try ArchiveSniffer.format(of: file) else { throw ArchiveError.unsupportedFormat() }
        let inspected = try self.scan(file, format: format, limits: limits, mode: .inspect)
        try space.checkRoom(for: Self.footprint(of: inspected))
        do {
            return try self.scan(
                file,
                format: format,
                limits: limits,
                mode: .extract(destination, beforeWritingFile: beforeWritingFile)
            )
        } catch {
            destination.removeContents()
            throw error
        }
    }

    /// What extracting an inspected archive takes on disk, about: its bytes and a block per file.
    private static func footprint(of summary: ArchiveSummary) -> UInt64 {
        let (blocks, overflow) = UInt64(summary.fileCount).multipliedReportingOverflow(by: 4096)
        let (total, totalOverflow) = summary.totalBytes.addingReportingOverflow(blocks)
        return overflow || totalOverflow ? .max : total
    }

    private static func scan(
        _ file: ArchiveFile,
        format: ArchiveFormat,
        limits: ArchiveLimits,
        mode: ArchiveScan.Mode
    ) throws -> ArchiveSummary {
        let scan = ArchiveScan(format: format, limits: limits, mode: mode)
        do {
            switch format {
            case .zip:
                try ZipWalker.walk(file, into: scan)
            case .tar:
                try TarWalker.walk(FileRangeSource(file: file), into: scan, checkTrailingData: false)
            case .tarGzip:
                let source = try GzipSource(file: file, ratioGuard: scan.ratioGuard)
                try TarWalker.walk(source, into: scan, checkTrailingData: true)
            }
        } catch let stop as ArchiveScanStop {
            try scan.stop(stop.reason)
        }
        return try scan.finish()
    }
}
