/// What an accepted archive holds.
public struct ArchiveSummary: Sendable {
    /// The format, as detected from the content.
    public var format: ArchiveFormat
    /// The number of files (directories and skipped macOS metadata excluded).
    public var fileCount: Int
    /// The sum of the files' uncompressed sizes, in bytes.
    public var totalBytes: UInt64
    /// The files' paths relative to the archive root (`/`-separated, without `.` components), in archive order.
    public var files: [String]

    public init(format: ArchiveFormat, fileCount: Int, totalBytes: UInt64, files: [String]) {
        self.format = format
        self.fileCount = fileCount
        self.totalBytes = totalBytes
        self.files = files
    }
}
