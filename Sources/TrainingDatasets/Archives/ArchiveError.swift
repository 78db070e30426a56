/// An archive was refused: it is not a supported format, or it breaks the dataset rules.
///
/// Always the uploader's problem, so show ``violations`` to them. Faults on the server's side (an
/// unreadable file, a full disk) are ``ArchiveStorageError`` instead.
///
/// ```swift
/// do {
///     _ = try ArchiveExtractor.extract(archive: upload, into: folder, limits: limits)
/// } catch let error as ArchiveError {
///     reject(error.violations.map(\.description))   // "a/b.mp3: file type 'mp3' is not allowed (allowed: wav)"
/// }
/// ```
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    /// The kind of refusal.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case unsupportedFormat
            case invalidContent
        }

        private var wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        /// The file's content is not a zip, tar or tar.gz archive.
        public static var unsupportedFormat: Self { Self(.unsupportedFormat) }
        /// The archive breaks one or more rules, or is truncated or corrupt; see ``ArchiveError/violations``.
        public static var invalidContent: Self { Self(.invalidContent) }

        public var description: String {
            switch self.wrapped {
            case .unsupportedFormat: "unsupported format"
            case .invalidContent: "invalid content"
            }
        }
    }

    /// The kind of refusal.
    public var code: Code
    /// Every rule the archive breaks, archive-wide problems first, at most
    /// ``ArchiveLimits/maxReportedViolations`` of them. Never empty.
    public var violations: [ArchiveViolation]
    /// True when there were more violations than ``violations`` lists.
    public var truncated: Bool

    public init(code: Code, violations: [ArchiveViolation], truncated: Bool = false) {
        self.code = code
        self.violations = violations
        self.truncated = truncated
    }

    static func unsupportedFormat() -> ArchiveError {
        ArchiveError(
            code: .unsupportedFormat,
            violations: [
                ArchiveViolation(
                    path: nil,
                    reason: "the file is not a zip, tar or tar.gz archive; upload the dataset in one of these formats"
                )
            ]
        )
    }

    public var description: String {
        let listed = self.violations.map(\.description).joined(separator: "; ")
        let more = self.truncated ? "; and more problems not listed" : ""
        switch self.code {
        case .unsupportedFormat: return "Unsupported archive: \(listed)\(more)"
        default: return "The archive was rejected: \(listed)\(more)"
        }
    }
}

/// Reading the archive or writing the extracted files failed for a reason that is not the archive's
/// fault: the archive file or the destination cannot be opened, the disk is full, the destination is
/// not an empty directory. Report it as an internal error; `cause` holds the system error.
public struct ArchiveStorageError: Error, Sendable, CustomStringConvertible {
    /// What failed, without file paths.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error)?

    public init(message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return self.message }
        return "\(self.message) (\(cause))"
    }
}
