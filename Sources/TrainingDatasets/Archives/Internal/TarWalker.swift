/// Reads a tar stream (ustar, GNU long names and PAX extended headers) entry by entry into a scan.
enum TarWalker {
    static let maxLongNameBytes = 64 * 1024
    static let maxPaxHeaderBytes = 1 << 20
    /// Tar writers pad the end to a record size (10 KiB by default, rarely over 1 MiB).
    static let maxTrailingBytes: UInt64 = 1 << 20
    /// Extension headers (long names, PAX) in a row before the entry they describe; writers emit at
    /// most three (a long name, a long link name, a PAX header).
    static let maxExtensionHeaders = 16

    /// - Parameter checkTrailingData: read on after the end-of-archive marker, to the end of the stream
    ///   (so that a gzip stream's checksum is verified), allowing at most ``maxTrailingBytes``.
    static func walk(_ source: any ArchiveByteSource, into scan: ArchiveScan, checkTrailingData: Bool) throws {
        let stream = TarStream(
            source: source,
            maxBytes: scan.limits.maxTarStreamBytes,
            maxFileBytes: scan.limits.maxTotalBytes
        )
        var globalRecords: [String: [UInt8]] = [:]
        var localRecords: [String: [UInt8]] = [:]
        var longName: [UInt8]?
        var longLink: [UInt8]?
        var extensionHeaders = 0

        while true {
            let offset = stream.offset
            guard let block = try stream.readBlock() else {
                throw ArchiveScanStop.corrupt("the tar data ends without its end-of-archive marker")
            }
            if TarHeader.isZeroBlock(block) {
                break
            }
            let header = try TarHeader(block: block, offset: offset)
            if Self.isExtension(header.typeFlag) {
                extensionHeaders += 1
                guard extensionHeaders <= Self.maxExtensionHeaders else {
                    throw ArchiveScanStop.corrupt(
                        "more than \(Self.maxExtensionHeaders) extension headers in a row at byte \(offset)"
                    )
                }
            } else {
                extensionHeaders = 0
            }
            switch header.typeFlag {
            case UInt8(ascii: "L"):
                longName = Self.trimmingNULs(
                    try stream.readRecord(header.size, limit: Self.maxLongNameBytes, what: "a GNU long name")
                )
                continue
            case UInt8(ascii: "K"):
                longLink = Self.trimmingNULs(
                    try stream.readRecord(header.size, limit: Self.maxLongNameBytes, what: "a GNU long link name")
                )
                continue
            case UInt8(ascii: "x"):
                let records = try PaxRecords.parse(
                    try stream.readRecord(header.size, limit: Self.maxPaxHeaderBytes, what: "a PAX extended header")
                )
                localRecords.merge(records) { $1 }
                try Self.checkSize(of: localRecords, what: "PAX extended headers for one entry")
                continue
            case UInt8(ascii: "g"):
                let records = try PaxRecords.parse(
                    try stream.readRecord(header.size, limit: Self.maxPaxHeaderBytes, what: "a PAX global header")
                )
                globalRecords.merge(records) { $1 }
                try Self.checkSize(of: globalRecords, what: "PAX global headers")
                continue
            default:
                break
            }

            // PAX records win over GNU long names, which win over the header fields; an empty PAX
            // value cancels the record.
            let records = globalRecords.merging(localRecords) { $1 }.filter { !$0.value.isEmpty }
            let name = records["path"] ?? longName ?? header.name
            let link = records["linkpath"] ?? longLink ?? header.linkName
            var size = header.size
            if let text = records["size"] {
                guard let value = PaxRecords.decimal(text) else {
                    throw ArchiveScanStop.corrupt("a PAX extended header at byte \(offset) has an unreadable size")
                }
                size = value
            }
            if header.hasSparseExtension {
                throw ArchiveScanStop(
                    "the archive contains a GNU sparse file, which is not supported; create it without --sparse"
                )
            }
            let isSparse = records.keys.contains { $0.hasPrefix("GNU.sparse.") }
            let (kind, dataSize) = Self.kind(of: header.typeFlag, size: size, link: link, isSparse: isSparse)
            let entry = ArchiveEntryHeader(
                name: name,
                kind: kind,
                declaredSize: kind == .file ? size : 0,
                compressedSize: nil
            )
            if try scan.begin(entry) {
                try stream.readData(dataSize) { try scan.consume($0) }
                try scan.end(problem: nil)
            } else {
                try stream.readData(dataSize)
            }
            try stream.skipPadding(after: dataSize)
            localRecords = [:]
            longName = nil
            longLink = nil
        }

        if checkTrailingData, try !stream.drain(limit: Self.maxTrailingBytes) {
            throw ArchiveScanStop.corrupt(
                "more than \(ByteCount(Self.maxTrailingBytes)) of data follows the end of the tar archive"
            )
        }
    }

    private static func isExtension(_ typeFlag: UInt8) -> Bool {
        [UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g")].contains(typeFlag)
    }

    /// Merged PAX records stay within the size of one header, so repeated headers with new keys
    /// cannot grow memory.
    private static func checkSize(of records: [String: [UInt8]], what: String) throws {
        let size = records.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
        guard size <= Self.maxPaxHeaderBytes else {
            throw ArchiveScanStop.corrupt("\(what) add up to more than \(ByteCount(UInt64(Self.maxPaxHeaderBytes)))")
        }
    }

    /// The entry kind and the number of data bytes that follow the header.
    private static func kind(
        of typeFlag: UInt8,
        size: UInt64,
        link: [UInt8],
        isSparse: Bool
    ) -> (ArchiveEntryHeader.Kind, UInt64) {
        switch typeFlag {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
            return (isSparse ? .unsupported("GNU sparse file") : .file, size)
        // POSIX: no data follows links, devices, directories and FIFOs, whatever the size field says.
        case UInt8(ascii: "1"): return (.hardLink(target: link), 0)
        case UInt8(ascii: "2"): return (.symbolicLink(target: link), 0)
        case UInt8(ascii: "3"): return (.characterDevice, 0)
        case UInt8(ascii: "4"): return (.blockDevice, 0)
        case UInt8(ascii: "5"): return (.directory, 0)
        case UInt8(ascii: "6"): return (.fifo, 0)
        // A GNU "dumpdir": a directory whose data lists its contents.
        case UInt8(ascii: "D"): return (.directory, size)
        case UInt8(ascii: "S"): return (.unsupported("GNU sparse file"), size)
        case UInt8(ascii: "V"): return (.unsupported("tar volume label"), size)
        case UInt8(ascii: "M"): return (.unsupported("multi-volume continuation"), size)
        default:
            let shown =
                (0x21..<0x7F).contains(typeFlag)
                ? String(UnicodeScalar(typeFlag)) : "\\x" + String(typeFlag, radix: 16)
            return (.unsupported("tar entry type '\(shown)'"), size)
        }
    }

    private static func trimmingNULs(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        while bytes.last == 0 { bytes.removeLast() }
        return bytes
    }
}

/// PAX extended header records: `"<length> <key>=<value>\n"`, repeated.
enum PaxRecords {
    static func parse(_ data: [UInt8]) throws -> [String: [UInt8]] {
        var records: [String: [UInt8]] = [:]
        var start = 0
        while start < data.count {
            if data[start...].allSatisfy({ $0 == 0 }) { break }
            var cursor = start
            var length = 0
            while cursor < data.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(data[cursor]) {
                length = length * 10 + Int(data[cursor] - UInt8(ascii: "0"))
                guard length <= data.count else { throw Self.malformed }
                cursor += 1
            }
            guard cursor > start, cursor < data.count, data[cursor] == UInt8(ascii: " "),
                length > cursor - start + 1, start + length <= data.count,
                data[start + length - 1] == UInt8(ascii: "\n")
            else { throw Self.malformed }
            let body = data[(cursor + 1)..<(start + length - 1)]
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else { throw Self.malformed }
            records[String(decoding: body[..<equals], as: UTF8.self)] = Array(body[(equals + 1)...])
            start += length
        }
        return records
    }

    static func decimal(_ text: [UInt8]) -> UInt64? {
        guard !text.isEmpty, text.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in text {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value <= UInt64(Int64.max) ? value : nil
    }

    private static var malformed: ArchiveScanStop {
        ArchiveScanStop.corrupt("a PAX extended header is malformed")
    }
}
