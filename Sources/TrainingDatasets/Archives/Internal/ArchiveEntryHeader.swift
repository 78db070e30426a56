/// What a format reader knows about an entry before its content.
struct ArchiveEntryHeader {
    enum Kind: Equatable {
        case file
        case directory
        case symbolicLink(target: [UInt8])
        case hardLink(target: [UInt8])
        case characterDevice
        case blockDevice
        case fifo
        case socket
        /// A type we do not extract, described for the message ("GNU sparse file", "tar type 'V'").
        case unsupported(String)
    }

    /// The name exactly as stored.
    var name: [UInt8]
    var kind: Kind
    /// The uncompressed size the archive declares (0 for everything but files).
    var declaredSize: UInt64
    /// The stored size, for formats that compress each entry (zip); drives the bomb-ratio check.
    var compressedSize: UInt64?
    /// Format-specific reasons to refuse the entry (encrypted, unsupported compression, damaged header).
    var problems: [String] = []
}
