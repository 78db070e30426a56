/// One rule an archive breaks, in plain English for the dataset's owner.
///
/// ```swift
/// ArchiveViolation(path: "yes/a.mp3", reason: "file type 'mp3' is not allowed (allowed: wav)")
/// // description: "yes/a.mp3: file type 'mp3' is not allowed (allowed: wav)"
/// ```
public struct ArchiveViolation: Sendable, Hashable, CustomStringConvertible {
    /// The entry's path inside the archive (control characters and bytes that are not UTF-8 escaped),
    /// or nil when the problem is with the archive as a whole.
    public var path: String?
    /// What is wrong and, where it helps, what to do instead.
    public var reason: String

    public init(path: String?, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        guard let path else { return self.reason }
        return "\(path): \(self.reason)"
    }
}
