import Foundation
import Testing
import TrainingDatasets

/// The archive bounds under hostile input, on real archives built here: memory follows the limits, not what an
/// archive claims; skipped entries count; folders count. Figures are printed for the report.
@Suite("Archive bounds under hostile load", .serialized)
struct HostileLoadArchiveTests {
    /// The example service's declared limits: 5000 wav files, 200 MiB in all, 5 MiB each.
    static let sttLimits = ArchiveLimits(
        maxTotalBytes: 200 << 20,
        maxFileCount: 5_000,
        maxSingleFileBytes: 5 << 20,
        allowedFileExtensions: ["wav"]
    )

    @Test(
        "A ZIP64 directory listing two million entries is refused at once, memory flat",
        arguments: [sttLimits, ArchiveLimits.unlimited]
    )
    func hugeZip64Directory(limits: ArchiveLimits) throws {
        let scratch = try Scratch()
        let archive = scratch.url.appendingPathComponent("listing.zip")
        let count = 2_000_000
        try StreamedArchives.zip64(to: archive, count: count, directories: false)
        let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? Int ?? 0
        #expect(size > 100_000_000, "a real directory of \(count) records")

        var error: ArchiveError?
        var elapsed = Duration.zero
        let growth = MemoryProbe.peakGrowth {
            elapsed = ContinuousClock().measure {
                error = #expect(throws: ArchiveError.self) {
                    try ArchiveExtractor.inspect(archive: archive, limits: limits)
                }
            }
        }
        print("ZIP64 directory of \(count) entries (\(size) bytes): refused in \(elapsed), peak RSS growth \(growth >> 10) KiB")
        #expect(error.has(path: nil, reason: "the archive lists more than \(limits.entryLimit) entries"))
        #expect(growth < 32 << 20, "peak RSS grew \(growth) bytes")
        #expect(elapsed < .seconds(1))
    }

    @Test("The entry limit follows the file limit: twice it plus 64, or 100 000 without one")
    func entryLimit() {
        #expect(Self.sttLimits.entryLimit == 10_064)
        #expect(ArchiveLimits.unlimited.entryLimit == ArchiveLimits.defaultMaxEntryCount)
        #expect(ArchiveLimits(maxFileCount: 3, maxEntryCount: 7).entryLimit == 7)
    }

    @Test("An honest directory within the entry limit is read as before", arguments: [false, true])
    func directoryWithinLimit(directories: Bool) throws {
        let scratch = try Scratch()
        let archive = scratch.url.appendingPathComponent("ok.zip")
        try StreamedArchives.zip64(to: archive, count: 3_000, directories: directories)
        let destination = try scratch.directory("out")
        let summary = try ArchiveExtractor.extract(
            archive: archive,
            into: destination,
            limits: ArchiveLimits(maxFileCount: 3_000)
        )
        #expect(summary.fileCount == (directories ? 0 : 3_000))
        #expect(Scratch.tree(destination).count == 3_000)
    }

    @Test("300 000 empty folders are refused without creating any", arguments: ["tar.gz", "zip"])
    func emptyDirectories(format: String) throws {
        let scratch = try Scratch()
        let archive = scratch.url.appendingPathComponent("folders.\(format)")
        let count = 300_000
        if format == "zip" {
            try StreamedArchives.zip64(to: archive, count: count, directories: true)
        } else {
            let tar = try StreamedTarGzip(archive)
            for index in 0..<count { try tar.header(String(format: "d%07d/", index), type: "5") }
            try tar.finish()
        }
        let destination = try scratch.directory("out")

        var error: ArchiveError?
        var elapsed = Duration.zero
        let growth = MemoryProbe.peakGrowth {
            elapsed = ContinuousClock().measure {
                error = #expect(throws: ArchiveError.self) {
                    try ArchiveExtractor.extract(archive: archive, into: destination, limits: Self.sttLimits)
                }
            }
        }
        print("\(count) empty folders (\(format)): refused in \(elapsed), peak RSS growth \(growth >> 10) KiB")
        #expect(error.has(path: nil, reason: "the archive lists more than 10064 entries"))
        #expect(error.has(path: nil, reason: "this method accepts at most 5000 files"))
        #expect(Scratch.tree(destination).isEmpty)
        #expect(elapsed < .seconds(2))
        #expect(growth < 64 << 20, "peak RSS grew \(growth) bytes")
    }

    @Test(
        "A tar.gz whose skipped entry inflates to a gigabyte is refused within a couple of seconds",
        arguments: ["__MACOSX/._clip.wav", "yes/huge.mp3", "yes/huge.wav"]
    )
    func gigabyteSkippedEntry(skipped: String) throws {
        let scratch = try Scratch()
        let archive = scratch.url.appendingPathComponent("skip.tar.gz")
        let tar = try StreamedTarGzip(archive)
        try tar.header("yes/a.wav", type: "0", size: 4)
        try tar.data(Array("RIFF".utf8))
        try tar.header(skipped, type: "0", size: 1 << 30)
        try tar.data(count: 1 << 30)
        try tar.header("no/b.wav", type: "0", size: 4)
        try tar.data(Array("RIFF".utf8))
        try tar.finish()
        let compressed = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? Int ?? 0
        #expect(compressed < 20 << 20, "under the 1000:1 bomb guard, so that guard is not what stops it")
        #expect((1 << 30) / compressed < 1000)

        var error: ArchiveError?
        let elapsed = ContinuousClock().measure {
            error = #expect(throws: ArchiveError.self) {
                try ArchiveExtractor.inspect(archive: archive, limits: Self.sttLimits)
            }
        }
        print("tar.gz with a 1 GiB skipped entry \(skipped) (\(compressed) bytes): refused in \(elapsed)")
        #expect(error.has(path: nil, reason: "the archive's entries come to more than"))
        #expect(error.has(path: nil, reason: "skipped ones included"))
        #expect(elapsed < .seconds(2))
    }

    @Test("Skipped entries add up: many small macOS metadata entries count against the total")
    func skippedEntriesAddUp() throws {
        let scratch = try Scratch()
        let archive = scratch.url.appendingPathComponent("junk.tar.gz")
        let tar = try StreamedTarGzip(archive)
        try tar.header("yes/a.wav", type: "0", size: 4)
        try tar.data(Array("RIFF".utf8))
        for index in 0..<40 {
            try tar.header("__MACOSX/._\(index).wav", type: "0", size: 1 << 20)
            try tar.data(count: 1 << 20)
        }
        try tar.finish()
        let limits = ArchiveLimits(maxTotalBytes: 10 << 20, maxFileCount: 5_000)
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.inspect(archive: archive, limits: limits)
        }
        // 10 MiB of files, as much again for headers, and 1 MiB: 21 MiB.
        #expect(error.has(path: nil, reason: "the archive's entries come to more than 21 MiB"))
        // The same metadata under a limit that leaves room for it is skipped, as before.
        let roomy = ArchiveLimits(maxTotalBytes: 50 << 20, maxFileCount: 5_000)
        #expect(try ArchiveExtractor.inspect(archive: archive, limits: roomy).files == ["yes/a.wav"])
    }

    @Test("Once the total is exceeded no later entry is inflated: its damage is not even seen")
    func noInflationPastTheTotal() throws {
        let scratch = try Scratch()
        var damaged = RawZipBuilder.stored("c.wav", [UInt8](repeating: 3, count: 100))
        damaged.crc32 ^= 1
        let entries = [
            RawZipBuilder.stored("a.wav", [UInt8](repeating: 1, count: 100)),
            RawZipBuilder.stored("b.wav", [UInt8](repeating: 2, count: 100)),
            damaged,
        ]
        let bytes = RawZipBuilder(entries: entries).build()
        let error = try scratch.rejection(bytes, limits: ArchiveLimits(maxTotalBytes: 150))
        #expect(error.has(path: nil, reason: "the files add up to 300 bytes, more than the 150 bytes allowed"))
        #expect(!error.has(path: "c.wav", reason: "CRC-32"))
        // Within the total, the damage is found.
        #expect(try scratch.rejection(bytes).has(path: "c.wav", reason: "CRC-32"))
    }

    @Test("PAX headers cannot grow memory: repeated headers with new keys are refused")
    func paxRecordsBounded() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: 200_000)
        for index in 0..<8 { tar.pax(["key\(index)": value]) }
        tar.file("a.wav", text: "a")
        let error = try scratch.rejection(tar.finished())
        #expect(error.has(path: nil, reason: "PAX extended headers for one entry add up to more than 1 MiB"))
    }

    @Test("A run of extension headers with no entry after them is refused")
    func extensionHeaderRun() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        for _ in 0..<20 { tar.rawEntry(name: Array("././@LongLink".utf8), type: "L", contents: Array("x\0".utf8)) }
        tar.file("a.wav", text: "a")
        let error = try scratch.rejection(tar.finished())
        #expect(error.has(path: nil, reason: "more than 16 extension headers in a row"))
    }
}
