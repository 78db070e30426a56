/// What an archive may contain. A limit of 0 (or an empty set) means "no limit", as in the
/// SingularityNET SDK's own dataset check; sizes fail only when strictly greater than the limit.
///
/// ```swift
/// let limits = ArchiveLimits(
///     maxTotalBytes: 100 << 20,          // dataset_max_size_mb = 100
///     maxFileCount: 5_000,               // dataset_max_count_files
///     maxSingleFileBytes: 10 << 20,      // dataset_max_size_single_file_mb = 10
///     allowedFileExtensions: ["wav"]     // dataset_files_type = "wav"
/// )
/// ```
public struct ArchiveLimits: Sendable {
    /// The largest allowed sum of the files' uncompressed sizes, in bytes (`dataset_max_size_mb` × 1 MiB).
    public var maxTotalBytes: UInt64
    /// The largest allowed number of files. Directories and skipped macOS metadata do not count here;
    /// they count towards ``maxEntryCount``.
    public var maxFileCount: Int
    /// The largest allowed uncompressed size of one file, in bytes.
    public var maxSingleFileBytes: UInt64
    /// The allowed file extensions, lower-cased and without the dot (`"wav"`). A file's extension is the
    /// text after the last dot of its base name, compared case-insensitively; a file without a dot has
    /// none and is then rejected. Empty allows every extension.
    public var allowedFileExtensions: Set<String>
    /// How many violations an ``ArchiveError`` lists at most; the rest are counted in its `truncated`
    /// flag. 0 lists them all.
    public var maxReportedViolations: Int
    /// Decompression-bomb guard: the largest allowed ratio of uncompressed to compressed bytes, applied
    /// to each zip entry, to a whole zip, and to the gzip stream of a tar.gz. 0 turns the guard off.
    ///
    /// The guard stays on in ``unlimited``: a method without dataset limits still must not let one small
    /// upload fill the disk.
    public var maxCompressionRatio: UInt64
    /// The ratio guard only judges data that inflates to more than this many bytes, so that small,
    /// highly compressible files (an empty CSV, a short silence) are never mistaken for bombs.
    public var compressionRatioThresholdBytes: UInt64
    /// The largest number of entries of any kind (files, directories, macOS metadata, links) an
    /// archive may list, checked as the listing is read, so that neither the memory a scan needs
    /// nor the directories an extraction creates grow with what an archive claims. nil: twice
    /// ``maxFileCount`` plus 64 (room for a folder and a macOS metadata entry per file), or
    /// ``defaultMaxEntryCount`` when the file count is unlimited.
    public var maxEntryCount: Int?

    /// The entry limit of archives whose file count is unlimited: the scan's memory stays in the
    /// tens of MiB.
    public static let defaultMaxEntryCount = 100_000

    /// No size, count or type limits (the decompression-bomb guard keeps its defaults).
    public static var unlimited: ArchiveLimits { ArchiveLimits() }

    /// Creates limits; every argument defaults to "no limit" except the violation-list length (50),
    /// the decompression-bomb guard (a ratio above 1000:1 for more than 1 MiB of output) and the
    /// entry limit (derived from `maxFileCount`; see ``maxEntryCount``).
    public init(
        maxTotalBytes: UInt64 = 0,
        maxFileCount: Int = 0,
        maxSingleFileBytes: UInt64 = 0,
        allowedFileExtensions: Set<String> = [],
        maxReportedViolations: Int = 50,
        maxCompressionRatio: UInt64 = 1000,
        compressionRatioThresholdBytes: UInt64 = 1 << 20,
        maxEntryCount: Int? = nil
    ) {
        self.maxTotalBytes = maxTotalBytes
        self.maxFileCount = maxFileCount
        self.maxSingleFileBytes = maxSingleFileBytes
        self.allowedFileExtensions = allowedFileExtensions
        self.maxReportedViolations = maxReportedViolations
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioThresholdBytes = compressionRatioThresholdBytes
        self.maxEntryCount = maxEntryCount
    }

    /// ``maxEntryCount`` as applied (at least 1).
    public var entryLimit: Int {
        if let maxEntryCount { return Swift.max(1, maxEntryCount) }
        guard self.maxFileCount > 0 else { return Self.defaultMaxEntryCount }
        let (doubled, overflow) = self.maxFileCount.multipliedReportingOverflow(by: 2)
        return overflow ? Int.max : doubled.addingReportingOverflow(64).overflow ? Int.max : doubled + 64
    }

    /// The most bytes a tar stream may inflate to, headers and skipped entries included: the total
    /// size limit plus room for headers, padding and metadata records (2 KiB per allowed entry, at
    /// most as much again as the data, plus 1 MiB). nil without a total size limit.
    var maxTarStreamBytes: UInt64? {
        guard self.maxTotalBytes > 0 else { return nil }
        let (headers, overflow) = UInt64(self.entryLimit).multipliedReportingOverflow(by: 2048)
        let room = Swift.min(overflow ? .max : headers, self.maxTotalBytes)
        let (total, totalOverflow) = self.maxTotalBytes.addingReportingOverflow(room)
        let (padded, paddedOverflow) = total.addingReportingOverflow(1 << 20)
        return totalOverflow || paddedOverflow ? nil : padded
    }
}
