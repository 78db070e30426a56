/// Writes tar archives for tests, including ones no well-behaved tool would write: links, devices,
/// `..` paths, long names in each of the three encodings, damaged checksums.
struct TarBuilder {
    /// How a name longer than the 100-byte field is stored.
    enum LongNames {
        case gnu  // a preceding 'L' entry
        case pax  // a preceding 'x' header with a path record
        case ustarPrefix  // split into the 155-byte prefix field and the name field
    }

    private(set) var bytes: [UInt8] = []
    var longNames: LongNames = .gnu

    init(longNames: LongNames = .gnu) {
        self.longNames = longNames
    }

    mutating func file(_ name: String, _ contents: [UInt8]) {
        self.entry(name, type: "0", contents: contents)
    }

    mutating func file(_ name: String, text: String) {
        self.file(name, Array(text.utf8))
    }

    mutating func directory(_ name: String) {
        self.entry(name.hasSuffix("/") ? name : name + "/", type: "5")
    }

    mutating func symlink(_ name: String, to target: String) {
        self.entry(name, type: "2", linkName: target)
    }

    mutating func hardLink(_ name: String, to target: String) {
        self.entry(name, type: "1", linkName: target)
    }

    /// Any entry. Long names are encoded as `longNames` says; `size` overrides the size field.
    mutating func entry(
        _ name: String,
        type: Character,
        linkName: String = "",
        contents: [UInt8] = [],
        size: UInt64? = nil
    ) {
        let nameBytes = Array(name.utf8)
        if nameBytes.count <= 100 {
            self.rawEntry(name: nameBytes, type: type, linkName: Array(linkName.utf8), contents: contents, size: size)
            return
        }
        switch self.longNames {
        case .gnu:
            self.rawEntry(name: Array("././@LongLink".utf8), type: "L", contents: nameBytes + [0])
            self.rawEntry(
                name: Array(nameBytes.prefix(100)),
                type: type,
                linkName: Array(linkName.utf8),
                contents: contents,
                size: size
            )
        case .pax:
            self.pax(["path": nameBytes])
            self.rawEntry(
                name: Array(nameBytes.prefix(100)),
                type: type,
                linkName: Array(linkName.utf8),
                contents: contents,
                size: size
            )
        case .ustarPrefix:
            let slash = nameBytes.lastIndex(of: UInt8(ascii: "/"))!
            self.rawEntry(
                name: Array(nameBytes[(slash + 1)...]),
                type: type,
                linkName: Array(linkName.utf8),
                contents: contents,
                size: size,
                prefix: Array(nameBytes[..<slash])
            )
        }
    }

    /// A PAX extended header ('x', or 'g' when global) holding `records`.
    mutating func pax(_ records: [String: [UInt8]], global: Bool = false) {
        var data: [UInt8] = []
        for (key, value) in records.sorted(by: { $0.key < $1.key }) {
            let body = Array(" \(key)=".utf8) + value + [UInt8(ascii: "\n")]
            // The length counts its own digits.
            var length = body.count + 1
            while String(length).count + body.count != length { length += 1 }
            data += Array(String(length).utf8) + body
        }
        self.rawEntry(name: Array("PaxHeaders/entry".utf8), type: global ? "g" : "x", contents: data)
    }

    /// One header (and its data, padded to whole blocks) exactly as given.
    mutating func rawEntry(
        name: [UInt8],
        type: Character,
        linkName: [UInt8] = [],
        contents: [UInt8] = [],
        size: UInt64? = nil,
        prefix: [UInt8] = [],
        corruptChecksum: Bool = false
    ) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int, width: Int) {
            for (index, byte) in field.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: UInt64, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(size ?? UInt64(contents.count), width: 12), at: 124, width: 12)
        put(octal(1_700_000_000, width: 12), at: 136, width: 12)
        header[156] = type.asciiValue!
        put(linkName, at: 157, width: 100)
        put(Array("ustar\0".utf8), at: 257, width: 6)
        put(Array("00".utf8), at: 263, width: 2)
        put(Array("root".utf8), at: 265, width: 32)
        put(Array("root".utf8), at: 297, width: 32)
        put(prefix, at: 345, width: 155)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148, width: 8)
        var checksum = header.reduce(0) { $0 + Int($1) }
        if corruptChecksum { checksum += 1 }
        put(Array(String(format6Octal: checksum).utf8) + [0, UInt8(ascii: " ")], at: 148, width: 8)
        self.bytes += header
        self.bytes += contents
        self.padToBlock()
    }

    /// Appends bytes as they are (no header, no padding).
    mutating func raw(_ bytes: [UInt8]) {
        self.bytes += bytes
    }

    /// The end-of-archive marker: two zero blocks.
    mutating func end() {
        self.bytes += [UInt8](repeating: 0, count: 1024)
    }

    /// A finished archive (end marker appended).
    func finished() -> [UInt8] {
        var copy = self
        copy.end()
        return copy.bytes
    }

    private mutating func padToBlock() {
        let partial = self.bytes.count % 512
        if partial != 0 { self.bytes += [UInt8](repeating: 0, count: 512 - partial) }
    }
}

extension String {
    fileprivate init(format6Octal value: Int) {
        let digits = String(value, radix: 8)
        self = String(repeating: "0", count: Swift.max(0, 6 - digits.count)) + digits
    }
}
