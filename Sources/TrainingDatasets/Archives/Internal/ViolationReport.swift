/// Collects violations, keeping at most the reportable number in memory.
struct ViolationReport {
    private let capacity: Int
    private var archiveWide: [ArchiveViolation] = []
    private var entries: [ArchiveViolation] = []
    private(set) var count = 0

    init(maxReported: Int) {
        self.capacity = maxReported > 0 ? maxReported : Int.max
    }

    var isEmpty: Bool { self.count == 0 }

    mutating func add(path: String?, reason: String) {
        self.count += 1
        let violation = ArchiveViolation(path: path, reason: reason)
        if path == nil {
            // Archive-wide problems are few and the most useful, so they are always kept and listed first.
            self.archiveWide.append(violation)
        } else if self.entries.count < self.capacity {
            self.entries.append(violation)
        }
    }

    func error() -> ArchiveError {
        let listed = Array((self.archiveWide + self.entries).prefix(self.capacity))
        return ArchiveError(code: .invalidContent, violations: listed, truncated: listed.count < self.count)
    }
}
