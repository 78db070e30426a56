/// One pass over an archive. Format readers report each entry to it in archive order; it applies the
/// dataset rules and, when extracting, writes the accepted files, never more bytes than were declared
/// and checked.
///
/// Inspecting collects every violation and throws them together from ``finish()``; extracting throws
/// at the first one (pass 1 has already listed them all, so any here means the archive misbehaved).
final class ArchiveScan {
    enum Mode {
        case inspect
        case extract(ExtractionDirectory, beforeWritingFile: ((String) throws -> Void)?)
    }

    /// The file a reader is streaming into the scan.
    private final class OpenEntry {
        let path: String
        let declaredSize: UInt64
        var received: UInt64 = 0
        var prefix: [UInt8] = []
        var output: ExtractedFile?
        var failed = false

        init(path: String, declaredSize: UInt64, output: ExtractedFile?) {
            self.path = path
            self.declaredSize = declaredSize
            self.output = output
        }
    }

    /// Extensions of archive and compressed files, refused as nested archives.
    static let archiveExtensions: Set<String> = [
        "zip", "tar", "gz", "tgz", "7z", "rar", "bz2", "tbz2", "xz", "txz", "zst",
    ]

    let format: ArchiveFormat
    let limits: ArchiveLimits
    let ratioGuard: CompressionRatioGuard?
    private let mode: Mode
    private let allowedExtensions: Set<String>
    private var report: ViolationReport
    private var registry = ArchivePathRegistry()
    private var files: [String] = []
    private var fileCount = 0
    /// Every entry the reader reported, of any kind: bounded by ``ArchiveLimits/entryLimit``.
    private var entryCount = 0
    private var declaredBytes: UInt64 = 0
    private var acceptedBytes: UInt64 = 0
    private var stopped = false
    private var current: OpenEntry?

    init(format: ArchiveFormat, limits: ArchiveLimits, mode: Mode) {
        self.format = format
        self.limits = limits
        self.mode = mode
        self.ratioGuard = CompressionRatioGuard(limits: limits)
        self.report = ViolationReport(maxReported: limits.maxReportedViolations)
        self.allowedExtensions = Set(
            limits.allowedFileExtensions.map {
                var text = $0.trimmingSpaces().lowercased()
                if text.hasPrefix(".") { text.removeFirst() }
                return text
            }
        )
    }

    private var isExtracting: Bool {
        if case .extract = self.mode { return true }
        return false
    }

    // MARK: - Entries

    /// Judges an entry; returns true if the reader should now stream its content through
    /// ``consume(_:)`` and then call ``end(problem:)``.
    func begin(_ header: ArchiveEntryHeader) throws -> Bool {
        try Self.checkCancellation()
        try self.countEntry()
        let display: String
        var valid: (path: String, components: [String])?
        var kind = header.kind
        let violationsBefore = self.report.count

        switch EntryName(header.name) {
        case .junk:
            return false
        case .root:
            if kind == .directory { return false }
            display = EntryName.display(header.name)
            try self.record(display, "the entry has no file name")
        case .invalid(let shown, let reason):
            display = shown
            try self.record(display, reason)
        case .valid(let path, let components, let endsWithSlash):
            display = path
            valid = (path, components)
            if kind == .file, endsWithSlash { kind = .directory }
        }
        for problem in header.problems {
            try self.record(display, problem)
        }

        switch kind {
        case .file:
            return try self.beginFile(header, display: display, valid: valid, violationsBefore: violationsBefore)
        case .directory:
            if let valid {
                if let conflict = self.registry.addDirectory(components: valid.components) {
                    try self.record(display, conflict)
                } else if self.report.count == violationsBefore, case .extract(let destination, _) = self.mode {
                    try destination.makeDirectory(valid.components)
                }
            }
        case .symbolicLink(let target):
            let pointee = target.isEmpty ? "" : " (this one points to '\(EntryName.display(target))')"
            try self.record(display, "symbolic links are not allowed\(pointee); put the file itself in the archive")
        case .hardLink(let target):
            let pointee = target.isEmpty ? "" : " (this one links to '\(EntryName.display(target))')"
            try self.record(display, "hard links are not allowed\(pointee); put the file itself in the archive")
        case .characterDevice, .blockDevice:
            try self.record(display, "device files are not allowed")
        case .fifo:
            try self.record(display, "named pipes (FIFOs) are not allowed")
        case .socket:
            try self.record(display, "sockets are not allowed")
        case .unsupported(let what):
            try self.record(display, "\(what) entries are not supported; only regular files and directories are")
        }
        return false
    }

    private func beginFile(
        _ header: ArchiveEntryHeader,
        display: String,
        valid: (path: String, components: [String])?,
        violationsBefore: Int
    ) throws -> Bool {
        let size = header.declaredSize
        self.fileCount += 1
        self.declaredBytes =
            self.declaredBytes.addingReportingOverflow(size).overflow ? .max : self.declaredBytes + size
        if self.limits.maxSingleFileBytes > 0, size > self.limits.maxSingleFileBytes {
            try self.record(
                display,
                "the file is \(ByteCount(size)), larger than the \(ByteCount(self.limits.maxSingleFileBytes)) allowed for one file"
            )
        }
        if let compressed = header.compressedSize, let ratioGuard = self.ratioGuard,
            let ratio = ratioGuard.excessiveRatio(uncompressed: size, compressed: compressed)
        {
            try self.record(
                display,
                ratioGuard.reason(uncompressed: size, compressed: compressed, ratio: ratio, what: "the entry")
            )
        }
        if let valid {
            try self.checkExtension(of: valid.components, display: display)
            if let conflict = self.registry.addFile(components: valid.components) {
                try self.record(display, conflict)
            }
        }
        if self.isExtracting {
            // Pass 1 has checked these; re-checking as files are written caps the output whatever the
            // archive does between the passes.
            try self.checkCountAndTotal()
        }
        // Past the file count or the total size the archive is refused whatever its data holds, so
        // no more data is inflated: the entries are still listed, for the report.
        guard !self.countOrTotalExceeded, self.report.count == violationsBefore, let valid else { return false }

        var output: ExtractedFile?
        if case .extract(let destination, let beforeWritingFile) = self.mode {
            try beforeWritingFile?(valid.path)
            output = try destination.createFile(valid.components)
        }
        self.current = OpenEntry(path: valid.path, declaredSize: size, output: output)
        return true
    }

    private func checkExtension(of components: [String], display: String) throws {
        let base = components.last ?? ""
        let fileExtension = base.lastIndex(of: ".").map { String(base[base.index(after: $0)...]).lowercased() } ?? ""
        if Self.archiveExtensions.contains(fileExtension) {
            try self.record(
                display,
                "nested archives are not supported (this is a .\(fileExtension) file); "
                    + "unpack it and put its files in the archive directly"
            )
        } else if !self.allowedExtensions.isEmpty, !self.allowedExtensions.contains(fileExtension) {
            let allowed = self.allowedExtensions.sorted().joined(separator: ", ")
            try self.record(
                display,
                fileExtension.isEmpty
                    ? "the file has no extension (allowed: \(allowed))"
                    : "file type '\(fileExtension)' is not allowed (allowed: \(allowed))"
            )
        }
    }

    /// Takes the next piece of the open file's content; returns false when the reader should stop
    /// sending it (the entry has failed).
    func consume(_ bytes: UnsafeRawBufferPointer) throws -> Bool {
        guard let entry = self.current, !entry.failed else { return false }
        try Self.checkCancellation()
        let count = UInt64(bytes.count)
        guard count <= entry.declaredSize - entry.received else {
            entry.failed = true
            try self.record(
                entry.path,
                "the data expands past the \(ByteCount(entry.declaredSize)) the archive declares for it; "
                    + "the archive is corrupt or a decompression bomb"
            )
            return false
        }
        if entry.prefix.count < TarHeader.blockSize {
            entry.prefix += bytes.prefix(TarHeader.blockSize - entry.prefix.count)
        }
        // Each file gets at most its declared size, and the declared sizes were checked against the
        // limits before the file was opened, so the bytes written stay within the limits.
        try entry.output?.write(bytes)
        entry.received += count
        return true
    }

    /// Closes the open file. `problem` is the reader's verdict on its data (damaged, cut short).
    func end(problem: String?) throws {
        guard let entry = self.current else { return }
        self.current = nil
        guard !entry.failed else { return }
        if let problem {
            try self.record(entry.path, problem)
        } else if entry.received < entry.declaredSize {
            try self.record(
                entry.path,
                "the data ends after \(entry.received) of the \(entry.declaredSize) bytes the archive declares; "
                    + "the archive is truncated or corrupt"
            )
        } else if let kind = ArchiveSniffer.nestedArchiveKind(entry.prefix) {
            try self.record(
                entry.path,
                "nested archives are not supported (this file is a \(kind) archive); "
                    + "unpack it and put its files in the archive directly"
            )
        } else {
            try entry.output?.close()
            self.files.append(entry.path)
            self.acceptedBytes += entry.declaredSize
        }
    }

    // MARK: - The archive as a whole

    /// Records a problem with the archive as a whole that does not stop the reader.
    func archiveViolation(_ reason: String) throws {
        try self.record(nil, reason)
    }

    /// Records why the reader could not go on; no more entries follow.
    func stop(_ reason: String) throws {
        self.current = nil
        self.stopped = true
        try self.record(nil, reason)
    }

    /// The summary of an archive that broke no rule; otherwise throws every violation.
    func finish() throws -> ArchiveSummary {
        try self.checkCountAndTotal()
        guard self.report.isEmpty else { throw self.report.error() }
        return ArchiveSummary(
            format: self.format,
            fileCount: self.files.count,
            totalBytes: self.acceptedBytes,
            files: self.files
        )
    }

    private var countAndTotalChecked = false

    private var countOrTotalExceeded: Bool {
        (self.limits.maxFileCount > 0 && self.fileCount > self.limits.maxFileCount)
            || (self.limits.maxTotalBytes > 0 && self.declaredBytes > self.limits.maxTotalBytes)
    }

    /// Counts an entry of any kind; past the entry limit the scan stops at once, before the listing
    /// (and the memory that remembers it) grows any further.
    private func countEntry() throws {
        self.entryCount += 1
        guard self.entryCount > self.limits.entryLimit else { return }
        throw ArchiveScanStop(Self.tooManyEntries(limit: self.limits.entryLimit, maxFileCount: self.limits.maxFileCount))
    }

    /// Why an archive that lists more than `limit` entries is refused.
    static func tooManyEntries(limit: Int, maxFileCount: Int) -> String {
        let files = maxFileCount > 0 ? "; this method accepts at most \(maxFileCount) files" : ""
        return "the archive lists more than \(limit) entries (files, folders and metadata together), "
            + "more than it may list\(files)"
    }

    private func checkCountAndTotal() throws {
        guard !self.countAndTotalChecked else { return }
        let atLeast = self.stopped ? "at least " : ""
        var exceeded = false
        if self.limits.maxFileCount > 0, self.fileCount > self.limits.maxFileCount {
            exceeded = true
            try self.record(
                nil,
                "the archive holds \(atLeast)\(self.fileCount) files, more than the \(self.limits.maxFileCount) allowed"
            )
        }
        if self.limits.maxTotalBytes > 0, self.declaredBytes > self.limits.maxTotalBytes {
            exceeded = true
            try self.record(
                nil,
                "the files add up to \(atLeast)\(ByteCount(self.declaredBytes)), more than the \(ByteCount(self.limits.maxTotalBytes)) allowed"
            )
        }
        self.countAndTotalChecked = exceeded
    }

    private func record(_ path: String?, _ reason: String) throws {
        self.report.add(path: path, reason: reason)
        if self.isExtracting {
            throw self.report.error()
        }
    }

    private static func checkCancellation() throws {
        if Task.isCancelled { throw CancellationError() }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
