import Foundation
import Testing
import TrainingDatasets

/// Damaged input must end in a clear violation: never a crash, a hang or a partial extraction.
@Suite("Truncated, corrupt and encrypted archives")
struct CorruptArchiveTests {
    static func sampleTar() -> [UInt8] {
        var tar = TarBuilder()
        tar.file("a.wav", [UInt8](repeating: 5, count: 3000))
        tar.file("b.wav", Array((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 2) }))
        return tar.finished()
    }

    @Test(
        "A truncated tar.gz is refused as truncated, wherever it is cut",
        arguments: [12, 100, 400, -100, -8, -4, -1]
    )
    func truncatedTarGzip(cut: Int) throws {
        let scratch = try Scratch()
        let whole = try Deflate.gzip(Self.sampleTar())
        let length = cut > 0 ? cut : whole.count + cut
        try #require(length < whole.count)
        let archive = try scratch.file("cut.tar.gz", Array(whole.prefix(length)))
        #expect(try ArchiveFormat.detect(at: archive) == .tarGzip)
        let destination = try scratch.directory("out")
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)
        }
        #expect(error?.code == .invalidContent)
        #expect(error.has(reason: "the archive is truncated or corrupt"))
        #expect(Scratch.tree(destination).isEmpty)
    }

    @Test("A gzip stream with a damaged body or checksum is refused")
    func corruptGzip() throws {
        let scratch = try Scratch()
        var bytes = try Deflate.gzip(Self.sampleTar())
        bytes[bytes.count - 6] ^= 0xFF  // the CRC-32 in the trailer
        #expect(try scratch.rejection(bytes).has(reason: "the compressed data is damaged"))
    }

    @Test("Several gzip members in a row are one stream; other data after the gzip stream is refused")
    func gzipMembersAndTrailingData() throws {
        let scratch = try Scratch()
        let tar = Self.sampleTar()
        let members = try Deflate.gzip(Array(tar.prefix(2048))) + Deflate.gzip(Array(tar.dropFirst(2048)))
        #expect(try scratch.inspect(members).files == ["a.wav", "b.wav"])
        #expect(try scratch.inspect(members + [0, 0, 0, 0]).fileCount == 2)  // zero padding
        #expect(
            try scratch.rejection(members + Array("garbage".utf8)).has(
                reason: "unexpected data follows the end of the gzip stream"
            )
        )
    }

    @Test("More than 1 MiB after a tar.gz's end marker is refused")
    func trailingDataInTarGzip() throws {
        let scratch = try Scratch()
        let bytes = try Deflate.gzip(Self.sampleTar() + [UInt8](repeating: 0, count: 2 << 20))
        #expect(try scratch.rejection(bytes).has(reason: "data follows the end of the tar archive"))
        #expect(try scratch.inspect(Deflate.gzip(Self.sampleTar() + [UInt8](repeating: 0, count: 9216))).fileCount == 2)
    }

    @Test(
        "A truncated tar is refused: in a header, in data, or before its end marker",
        arguments: [
            (512 + 3000 + 100, "ends in the middle of a header"),
            (512 + 1000, "ends in the middle of an entry"),
            (512 + 3072 + 512 + 20_480, "ends without its end-of-archive marker"),
        ]
    )
    func truncatedTar(length: Int, reason: String) throws {
        let scratch = try Scratch()
        let error = try scratch.rejection(Array(Self.sampleTar().prefix(length)))
        #expect(error.has(path: nil, reason: reason))
    }

    @Test("A tar header with a wrong checksum is refused")
    func tarChecksum() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("a.wav", text: "fine")
        tar.rawEntry(name: Array("b.wav".utf8), type: "0", contents: [1, 2], corruptChecksum: true)
        let error = try scratch.rejection(tar.finished())
        #expect(
            error?.violations == [
                ArchiveViolation(
                    path: nil,
                    reason:
                        "the archive is truncated or corrupt: the tar header at byte 1024 is damaged (its checksum does not match)"
                )
            ]
        )
    }

    @Test("A zip without its end record (cut short) is refused")
    func truncatedZip() throws {
        let scratch = try Scratch()
        let whole = HostileEntryTests.zip(["a.wav", "b.wav"])
        for bytes in [
            Array(whole.prefix(whole.count / 2)),
            RawZipBuilder(entries: [RawZipBuilder.stored("a.wav", [1])], omitsEndRecord: true).build(),
        ] {
            #expect(
                try scratch.rejection(bytes).has(
                    path: nil,
                    reason: "the zip's end-of-central-directory record is missing"
                )
            )
        }
    }

    @Test("A damaged zip central directory is refused")
    func damagedCentralDirectory() throws {
        let scratch = try Scratch()
        var bytes = HostileEntryTests.zip(["a.wav", "b.wav"])
        let second = bytes.indices.filter { bytes[$0...].starts(with: [0x50, 0x4B, 0x01, 0x02]) }[1]
        bytes[second + 2] = 0x09
        #expect(
            try scratch.rejection(bytes).has(path: nil, reason: "entry 2 of the zip's central directory is damaged")
        )
    }

    @Test("A zip entry whose data fails its CRC-32 is refused")
    func crcMismatch() throws {
        let scratch = try Scratch()
        var entry = try RawZipBuilder.deflated("a.wav", Array(repeating: 7, count: 5000))
        entry.crc32 ^= 1
        let error = try scratch.rejection(RawZipBuilder(entries: [entry]).build())
        #expect(
            error?.violations == [
                ArchiveViolation(path: "a.wav", reason: "the data is corrupt (its CRC-32 checksum does not match)")
            ]
        )
    }

    @Test("A deflate stream that never ends is refused at once (ZIPFoundation 0.9.20 spins forever on it)")
    func endlessDeflateStream() throws {
        let scratch = try Scratch()
        // A stored deflate block promising 65535 bytes that the file does not have.
        var entry = RawZipBuilder.stored("a.wav", [0x00, 0xFF, 0xFF, 0x00, 0x00] + [UInt8](repeating: 1, count: 100))
        entry.method = 8
        entry.uncompressedSize = 200
        var error: ArchiveError?
        let elapsed = ContinuousClock().measure {
            error = try? scratch.rejection(RawZipBuilder(entries: [entry]).build())
        }
        #expect(elapsed < .seconds(1))
        #expect(error.has(path: "a.wav", reason: "the compressed data does not end where the archive says it does"))
    }

    @Test("A deflate stream that ends before its declared compressed size is refused")
    func deflateEndsEarly() throws {
        let scratch = try Scratch()
        var entry = try RawZipBuilder.deflated("a.wav", Array(repeating: 7, count: 5000))
        entry.data += Array("smuggled".utf8)
        #expect(
            try scratch.rejection(RawZipBuilder(entries: [entry]).build()).has(
                path: "a.wav",
                reason: "ends before the size the archive gives"
            )
        )
    }

    @Test("A zip entry with corrupt deflate data is refused")
    func corruptDeflate() throws {
        let scratch = try Scratch()
        var entry = try RawZipBuilder.deflated("a.wav", Array((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }))
        entry.data[0] = 0xFF  // reserved block type
        #expect(
            try scratch.rejection(RawZipBuilder(entries: [entry]).build()).has(
                path: "a.wav",
                reason: "the compressed data is damaged"
            )
        )
    }

    @Test("Encrypted zip entries (general-purpose flag bit 0) are refused")
    func encrypted() throws {
        let scratch = try Scratch()
        var secret = RawZipBuilder.stored("secret.wav", Array(repeating: 0x5A, count: 64))
        secret.flags |= 1
        let error = try scratch.rejection(
            RawZipBuilder(entries: [RawZipBuilder.stored("open.wav", [1]), secret]).build()
        )
        #expect(
            error?.violations == [
                ArchiveViolation(
                    path: "secret.wav",
                    reason: "the entry is encrypted; upload an archive without a password"
                )
            ]
        )
    }

    @Test("Zip compression methods other than store and deflate are refused")
    func unsupportedMethod() throws {
        let scratch = try Scratch()
        var entry = RawZipBuilder.stored("a.wav", Array("BZh9....".utf8))
        entry.method = 12
        entry.uncompressedSize = 100
        #expect(
            try scratch.rejection(RawZipBuilder(entries: [entry]).build()).has(
                path: "a.wav",
                reason: "compression method 12 (bzip2), which is not supported"
            )
        )
    }

    @Test("A local header that names another file than the central directory is refused")
    func localHeaderMismatch() throws {
        let scratch = try Scratch()
        var entry = RawZipBuilder.stored("a.wav", [1, 2, 3])
        entry.localName = Array("../../evil.sh".utf8)
        #expect(
            try scratch.rejection(RawZipBuilder(entries: [entry]).build()).has(
                path: "a.wav",
                reason: "the entry's local header gives a different name ('../../evil.sh')"
            )
        )
    }

    @Test("Random damage never crashes or hangs", arguments: 0..<24)
    func randomDamage(seed: Int) throws {
        let scratch = try Scratch()
        var generator = SeededGenerator(seed: UInt64(seed))
        let samples = [
            HostileEntryTests.zip(["a.wav", "b/c.wav"]), Self.sampleTar(), try Deflate.gzip(Self.sampleTar()),
        ]
        var bytes = samples[seed % samples.count]
        for _ in 0..<8 {
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        }
        let destination = try scratch.directory("out")
        do {
            _ = try ArchiveExtractor.extract(
                archive: scratch.file("d.bin", bytes),
                into: destination,
                limits: .unlimited
            )
        } catch is ArchiveError {
            #expect(Scratch.tree(destination).isEmpty)
        }
    }
}

/// SplitMix64, so the damage is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
