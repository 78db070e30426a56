extension ArchiveViolation {
    /// The violations as lines for people, one line per distinct reason: forty `.mp3` clips give one
    /// line naming the first few files and the count, not forty lines saying the same thing.
    ///
    /// ```swift
    /// ArchiveViolation.grouped(violations)
    /// // ["file type 'mp3' is not allowed (allowed: wav): yes/1.mp3, yes/2.mp3, yes/3.mp3 and 37 more"]
    /// ```
    public static func grouped(_ violations: [ArchiveViolation], namesShown: Int = 3) -> [String] {
        var order: [String] = []
        var paths: [String: [String]] = [:]
        var lines: [String] = []
        for violation in violations {
            guard let path = violation.path else {
                lines.append(violation.description)
                continue
            }
            if paths[violation.reason] == nil { order.append(violation.reason) }
            paths[violation.reason, default: []].append(path)
        }
        for reason in order {
            let named = paths[reason] ?? []
            guard named.count > 1 else {
                lines.append("\(named.first ?? ""): \(reason)")
                continue
            }
            let shown = named.prefix(namesShown).joined(separator: ", ")
            let more = named.count > namesShown ? " and \(named.count - namesShown) more" : ""
            lines.append("\(reason): \(shown)\(more)")
        }
        return lines
    }
}
