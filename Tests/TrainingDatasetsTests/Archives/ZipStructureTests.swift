import Foundation
import Testing
import TrainingDatasets

/// Zip layouts other than the everyday one, and inconsistencies between a zip's two descriptions of
/// each entry (the local header and the central directory).
@Suite("Zip structure")
struct ZipStructureTests {
    @Test("ZIP64 sizes, offsets and end records are read")
    func zip64() throws {
        let scratch = try Scratch()
        var builder = RawZipBuilder(entries: [
            RawZipBuilder.stored("a.wav", Array("first".utf8)),
            try RawZipBuilder.deflated("b/c.wav", [UInt8](repeating: 4, count: 9000)),
        ])
        builder.zip64 = true
        let destination = try scratch.directory("out")
        let summary = try ArchiveExtractor.extract(
            archive: scratch.file("z64.zip", builder.build()),
            into: destination,
            limits: .unlimited
        )
        #expect(summary.files == ["a.wav", "b/c.wav"])
        #expect(summary.totalBytes == 9005)
        #expect(try Data(contentsOf: destination.appendingPathComponent("b/c.wav")) == Data(repeating: 4, count: 9000))
    }

    @Test("Split (multi-part) zips are refused")
    func splitZip() throws {
        let scratch = try Scratch()
        var builder = RawZipBuilder(entries: [RawZipBuilder.stored("a.wav", [1])])
        builder.diskNumber = 1
        #expect(
            try scratch.rejection(builder.build()).has(
                path: nil,
                reason: "split (multi-part) zip archives are not supported"
            )
        )
    }

    @Test("An entry whose local header is missing or points past the data is refused")
    func badLocalHeaderOffset() throws {
        let scratch = try Scratch()
        var missing = RawZipBuilder.stored("b.wav", [2])
        missing.emitsLocalRecord = false
        missing.localHeaderOffset = 5  // inside a.wav's header: no signature there
        let error = try scratch.rejection(
            RawZipBuilder(entries: [RawZipBuilder.stored("a.wav", [1]), missing]).build()
        )
        #expect(
            error?.violations == [
                ArchiveViolation(
                    path: "b.wav",
                    reason: "the archive is truncated or corrupt: the entry's local header is damaged"
                )
            ]
        )

        var beyond = RawZipBuilder.stored("c.wav", [3])
        beyond.emitsLocalRecord = false
        beyond.localHeaderOffset = 1_000_000
        #expect(
            try scratch.rejection(RawZipBuilder(entries: [RawZipBuilder.stored("a.wav", [1]), beyond]).build()).has(
                path: "c.wav",
                reason: "the entry's local header is missing"
            )
        )
    }

    @Test("An entry whose data would run into the central directory is refused")
    func dataRunsPastTheEnd() throws {
        let scratch = try Scratch()
        var bytes = RawZipBuilder(entries: [RawZipBuilder.stored("a.wav", [1, 2, 3])]).build()
        // Raise the central directory's compressed (and uncompressed) size of the only entry.
        let directory = bytes.indices.first { bytes[$0...].starts(with: [0x50, 0x4B, 0x01, 0x02]) }!
        bytes[directory + 20] = 200
        bytes[directory + 24] = 200
        #expect(
            try scratch.rejection(bytes).has(
                path: "a.wav",
                reason: "the entry's data runs past the end of the file's data"
            )
        )
    }

    @Test("A local header with another compression method, or stored sizes that differ, is refused")
    func inconsistentEntries() throws {
        let scratch = try Scratch()
        var bytes = RawZipBuilder(entries: [RawZipBuilder.stored("a.wav", [1, 2, 3])]).build()
        bytes[8] = 8  // local header says deflate, central directory says stored
        #expect(
            try scratch.rejection(bytes).has(
                path: "a.wav",
                reason: "the entry's local header gives a different compression method"
            )
        )

        var entry = RawZipBuilder.stored("b.wav", [1, 2, 3])
        entry.uncompressedSize = 2
        #expect(
            try scratch.rejection(RawZipBuilder(entries: [entry]).build()).has(
                path: "b.wav",
                reason: "stored uncompressed but its two sizes differ"
            )
        )
    }

    @Test("Backslash separators from Windows tools are read as folders")
    func backslashes() throws {
        let scratch = try Scratch()
        var entry = RawZipBuilder.stored("yes\\a.wav", [1])
        entry.versionMadeBy = 0x0014  // MS-DOS
        let summary = try scratch.inspect(RawZipBuilder(entries: [entry]).build())
        #expect(summary.files == ["yes/a.wav"])
    }
}
