/// Ends a scan: the archive cannot be read any further (truncated, corrupt, a decompression bomb).
/// The reason becomes an archive-wide violation.
struct ArchiveScanStop: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    static func corrupt(_ detail: String) -> ArchiveScanStop {
        ArchiveScanStop("the archive is truncated or corrupt: \(detail)")
    }
}
