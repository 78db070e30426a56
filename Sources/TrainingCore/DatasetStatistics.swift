public import Foundation

/// Totals of a validated dataset, for pricing.
public struct DatasetStatistics: Sendable, Hashable {
    /// Regular files in the extracted dataset.
    public var fileCount: UInt64
    /// Their total size, uncompressed, in bytes.
    public var totalBytes: UInt64
    /// The size of the archive as it was uploaded or downloaded.
    public var archiveBytes: UInt64

    public init(fileCount: UInt64, totalBytes: UInt64, archiveBytes: UInt64) {
        self.fileCount = fileCount
        self.totalBytes = totalBytes
        self.archiveBytes = archiveBytes
    }

    /// Counts the regular files under `directory` (an extracted dataset, already checked against the
    /// method's limits, so the walk is bounded) and adds up their sizes. Symbolic links are not followed.
    public static func measure(directory: URL, archiveBytes: UInt64) throws -> DatasetStatistics {
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var files: UInt64 = 0
        var bytes: UInt64 = 0
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            files += 1
            bytes = bytes.addingSaturating(UInt64(max(0, values.fileSize ?? 0)))
        }
        return DatasetStatistics(fileCount: files, totalBytes: bytes, archiveBytes: archiveBytes)
    }
}
