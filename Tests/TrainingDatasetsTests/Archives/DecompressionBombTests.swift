import Foundation
import Testing
import TrainingDatasets
import ZIPFoundation

@Suite("Decompression bombs")
struct DecompressionBombTests {
    @Test("A real 200 MiB zip bomb is refused from its headers in well under a second, writing nothing")
    func zipBomb() throws {
        let scratch = try Scratch()
        let bomb = scratch.url.appendingPathComponent("bomb.zip")
        try ZipBomb.write(to: bomb)
        let compressedSize = try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int ?? 0
        #expect(compressedSize < 300_000)
        // A genuine zip to another reader too.
        let entry = try #require(try Archive(url: bomb, accessMode: .read).makeIterator().next())
        #expect(entry.uncompressedSize == 200 << 20)
        #expect(entry.checksum == ZipBomb.crcOf200MiBZeros)

        let destination = try scratch.directory("out")
        var error: ArchiveError?
        let elapsed = ContinuousClock().measure {
            error = #expect(throws: ArchiveError.self) {
                try ArchiveExtractor.extract(archive: bomb, into: destination, limits: .unlimited)
            }
        }
        #expect(elapsed < .seconds(1))
        #expect(error.has(path: "zeros.wav", reason: "looks like a decompression bomb"))
        #expect(error.has(path: "zeros.wav", reason: "more than the 1000:1 allowed"))
        #expect(Scratch.tree(destination).isEmpty)
    }

    @Test("The ratio limit and the size it applies from are configurable; 0 turns the guard off")
    func ratioIsConfigurable() throws {
        let scratch = try Scratch()
        let text = Array(String(repeating: "the quick brown fox ", count: 100_000).utf8)  // 2 MB, compresses ~300:1
        let url = scratch.url.appendingPathComponent("text.zip")
        try ZipFixture.write([("fox.txt", text)], to: url)

        #expect(try ArchiveExtractor.inspect(archive: url, limits: .unlimited).fileCount == 1)
        let strict = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.inspect(archive: url, limits: ArchiveLimits(maxCompressionRatio: 10))
        }
        #expect(strict.has(path: "fox.txt", reason: "more than the 10:1 allowed"))
        #expect(
            try ArchiveExtractor.inspect(
                archive: url,
                limits: ArchiveLimits(maxCompressionRatio: 10, compressionRatioThresholdBytes: 4 << 20)
            ).fileCount == 1
        )
        #expect(
            try ArchiveExtractor.inspect(archive: url, limits: ArchiveLimits(maxCompressionRatio: 0)).fileCount == 1
        )
    }

    @Test("An entry that inflates past its declared size is stopped there, however much more it holds")
    func lyingDeclaredSize() throws {
        let scratch = try Scratch()
        // 64 MiB of zeros that claim to be 1000 bytes: the ratio check cannot see it.
        var entry = try RawZipBuilder.deflated("small.wav", [UInt8](repeating: 0, count: 64 << 20))
        entry.uncompressedSize = 1000
        let archive = try scratch.file("liar.zip", RawZipBuilder(entries: [entry]).build())
        let destination = try scratch.directory("out")

        var error: ArchiveError?
        let elapsed = ContinuousClock().measure {
            error = #expect(throws: ArchiveError.self) {
                try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)
            }
        }
        #expect(elapsed < .seconds(1))
        #expect(
            error?.violations == [
                ArchiveViolation(
                    path: "small.wav",
                    reason:
                        "the data expands past the 1000 bytes the archive declares for it; the archive is corrupt or a decompression bomb"
                )
            ]
        )
        #expect(Scratch.tree(destination).isEmpty)
    }

    @Test("Entries whose data overlap (a non-recursive zip bomb) are refused")
    func overlappingEntries() throws {
        let scratch = try Scratch()
        // b.txt's local record sits inside a.txt's stored data, so its bytes would be read twice.
        let inner = RawZipBuilder.stored("b.txt", Array("inner data".utf8))
        let outer = RawZipBuilder.stored("a.txt", RawZipBuilder.localRecord(inner))
        var quoted = inner
        quoted.emitsLocalRecord = false
        quoted.localHeaderOffset = UInt32(30 + outer.name.count)
        let error = try scratch.rejection(RawZipBuilder(entries: [outer, quoted]).build())
        #expect(
            error.has(path: "b.txt", reason: "the entry overlaps another entry's data, a technique used by zip bombs")
        )
        // a.txt's content is itself a zip record, so it is also refused as a nested archive.
        #expect(error?.violations.map(\.path) == ["a.txt", "b.txt"])
    }

    @Test("The ratio of the zip as a whole is judged too, not only each entry's")
    func wholeZipRatio() throws {
        let scratch = try Scratch()
        // 40 entries of 512 KiB zeros: each under the 1 MiB threshold, 20 MiB from a few KB together.
        let entries = try (0..<40).map {
            try RawZipBuilder.deflated("z\($0).wav", [UInt8](repeating: 0, count: 512 << 10))
        }
        let bytes = RawZipBuilder(entries: entries).build()
        let error = try scratch.rejection(bytes, limits: ArchiveLimits(maxCompressionRatio: 100))
        #expect(error?.violations.count == 1)
        #expect(error.has(path: nil, reason: "the zip as a whole expands"))
    }

    @Test("A tar.gz bomb is stopped while streaming, once the output outgrows the ratio")
    func tarGzipBomb() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("zeros.wav", [UInt8](repeating: 0, count: 16 << 20))
        let bytes = try Deflate.gzip(tar.finished())
        let error = try scratch.rejection(bytes, limits: ArchiveLimits(maxCompressionRatio: 200))
        #expect(error?.violations.count == 1)
        #expect(error.has(path: nil, reason: "the gzip data expands"))
        #expect(error.has(path: nil, reason: "more than the 200:1 allowed; this looks like a decompression bomb"))
        #expect(try scratch.rejection(bytes, limits: ArchiveLimits(maxCompressionRatio: 0)) == nil)
    }
}
