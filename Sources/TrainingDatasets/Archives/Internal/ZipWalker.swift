/// Reads a zip entry by entry into a scan: the central directory first (with every entry's local
/// header, to find its data and catch overlaps), then each accepted entry's data.
enum ZipWalker {
    static func walk(_ file: ArchiveFile, into scan: ArchiveScan) throws {
        let directory = try ZipDirectory(
            file: file,
            maxEntries: scan.limits.entryLimit,
            maxFileCount: scan.limits.maxFileCount
        )
        var records = directory.records
        try Self.locateData(of: &records, in: file, before: directory.centralDirectoryOffset)
        Self.flagOverlaps(in: &records)

        if let ratioGuard = scan.ratioGuard {
            let total = records.reduce(UInt64(0)) { sum, record in
                guard record.kind == .file else { return sum }
                let (added, overflow) = sum.addingReportingOverflow(record.uncompressedSize)
                return overflow ? .max : added
            }
            if let ratio = ratioGuard.excessiveRatio(uncompressed: total, compressed: file.size) {
                try scan.archiveViolation(
                    ratioGuard.reason(
                        uncompressed: total,
                        compressed: file.size,
                        ratio: ratio,
                        what: "the zip as a whole"
                    )
                )
            }
        }

        var buffers = InflateBuffers()
        for record in records {
            let header = ArchiveEntryHeader(
                name: record.utf8Name,
                kind: record.kind,
                declaredSize: record.kind == .file ? record.uncompressedSize : 0,
                compressedSize: record.compressedSize,
                problems: Self.problems(of: record)
            )
            guard try scan.begin(header), let dataOffset = record.dataOffset else { continue }
            let outcome = try ZipEntryReader.read(
                file,
                range: dataOffset..<(dataOffset + record.compressedSize),
                deflated: record.method == 8,
                buffers: &buffers
            ) { try scan.consume($0) }
            switch outcome {
            case .complete(let checksum):
                try scan.end(
                    problem: checksum == record.crc32
                        ? nil : "the data is corrupt (its CRC-32 checksum does not match)"
                )
            case .stopped:
                try scan.end(problem: nil)
            case .corrupt(let reason):
                try scan.end(problem: "the archive is truncated or corrupt: \(reason)")
            }
        }
    }

    /// Reads each entry's local header: it must exist, agree with the central directory, and its data
    /// must end before the central directory starts.
    private static func locateData(of records: inout [ZipRecord], in file: ArchiveFile, before limit: UInt64) throws {
        for index in records.indices {
            let record = records[index]
            let offset = record.localHeaderOffset
            guard offset <= limit, limit - offset >= UInt64(ZipDirectory.localHeaderSize) else {
                records[index].problems.append(
                    "the archive is truncated or corrupt: the entry's local header is missing"
                )
                continue
            }
            let fixed = try file.bytes(at: offset, count: ZipDirectory.localHeaderSize)
            guard fixed.count == ZipDirectory.localHeaderSize, fixed.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
                records[index].problems.append(
                    "the archive is truncated or corrupt: the entry's local header is damaged"
                )
                continue
            }
            let nameLength = Int(fixed.le16(26))
            let extraLength = Int(fixed.le16(28))
            let localName = try file.bytes(at: offset + UInt64(ZipDirectory.localHeaderSize), count: nameLength)
            if localName != record.name {
                records[index].problems.append(
                    "the entry's local header gives a different name ('\(EntryName.display(localName))'); "
                        + "the archive is corrupt or crafted to mislead"
                )
            }
            if fixed.le16(8) != record.method {
                records[index].problems.append(
                    "the entry's local header gives a different compression method; the archive is corrupt"
                )
            }
            if fixed.le16(6) & 1 != 0 {
                records[index].flags |= 1
            }
            let dataOffset = offset + UInt64(ZipDirectory.localHeaderSize + nameLength + extraLength)
            guard dataOffset <= limit, record.compressedSize <= limit - dataOffset else {
                records[index].problems.append(
                    "the archive is truncated or corrupt: the entry's data runs past the end of the file's data"
                )
                continue
            }
            records[index].dataOffset = dataOffset
        }
    }

    /// Entries whose headers or data overlap: the trick that lets one deflate stream be inflated many
    /// times over (a "non-recursive" zip bomb).
    private static func flagOverlaps(in records: inout [ZipRecord]) {
        let order = records.indices
            .filter { records[$0].dataOffset != nil }
            .sorted { records[$0].localHeaderOffset < records[$1].localHeaderOffset }
        var previousEnd: UInt64 = 0
        for index in order {
            let record = records[index]
            if record.localHeaderOffset < previousEnd {
                records[index].problems.append(
                    "the entry overlaps another entry's data, a technique used by zip bombs; the archive is crafted or corrupt"
                )
            }
            previousEnd = max(previousEnd, (record.dataOffset ?? 0) + record.compressedSize)
        }
    }

    private static func problems(of record: ZipRecord) -> [String] {
        var problems = record.problems
        guard record.kind == .file else { return problems }
        if record.isEncrypted {
            problems.append("the entry is encrypted; upload an archive without a password")
        } else if record.method != 0, record.method != 8 {
            problems.append(
                "the entry uses compression method \(record.method)\(Self.methodName(record.method)), "
                    + "which is not supported; re-create the archive with standard (deflate) compression"
            )
        } else if record.method == 0, record.compressedSize != record.uncompressedSize {
            problems.append("the archive is corrupt: the entry is stored uncompressed but its two sizes differ")
        }
        return problems
    }

    private static func methodName(_ method: UInt16) -> String {
        switch method {
        case 1: " (shrink)"
        case 6: " (implode)"
        case 9: " (deflate64)"
        case 12: " (bzip2)"
        case 14: " (LZMA)"
        case 93: " (Zstandard)"
        case 95: " (xz)"
        case 98: " (PPMd)"
        default: ""
        }
    }
}
