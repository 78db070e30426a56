import Foundation
import Testing
import TrainingDatasets

@Suite("Nested archives")
struct NestedArchiveTests {
    @Test(
        "Entries named like archives are refused",
        arguments: ["inner.zip", "inner.tar", "inner.tar.gz", "inner.tgz", "x.gz", "x.7z", "x.rar", "x.bz2", "X.ZIP"]
    )
    func byExtension(name: String) throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("data/\(name)", text: "not really an archive")
        let error = try scratch.rejection(tar.finished())
        #expect(error?.violations.count == 1)
        #expect(error.has(path: "data/\(name)", reason: "nested archives are not supported"))
    }

    static func innerArchives() throws -> [(String, [UInt8])] {
        var tar = TarBuilder()
        tar.file("inner.wav", text: "inner")
        let tarBytes = tar.finished()
        return [
            ("zip", HostileEntryTests.zip(["inner.wav"])),
            ("gzip", try Deflate.gzip(Array("plain text, gzipped".utf8))),
            ("tar", tarBytes),
            ("7z", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4] + [UInt8](repeating: 1, count: 40)),
            ("rar", Array("Rar!\u{1A}\u{07}\u{01}\u{00}".utf8) + [UInt8](repeating: 1, count: 40)),
            ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] + [UInt8](repeating: 1, count: 40)),
            ("bzip2", Array("BZh91AY&SY".utf8) + [UInt8](repeating: 1, count: 40)),
        ]
    }

    @Test(
        "Entries that are archives by content are refused, whatever their name",
        arguments: [ArchiveFormat.zip, .tar, .tarGzip]
    )
    func byContent(outer: ArchiveFormat) throws {
        let scratch = try Scratch()
        let inner = try Self.innerArchives()
        let entries = inner.map { ("clips/\($0.0).wav", $0.1) } + [("clips/real.wav", Array("RIFF....WAVE".utf8))]
        let archive = try ExtractionTests.archive(outer, entries, in: scratch)
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.inspect(archive: archive, limits: ArchiveLimits(allowedFileExtensions: ["wav"]))
        }
        #expect(error?.violations.count == inner.count)
        for (kind, _) in inner {
            #expect(
                error.has(
                    path: "clips/\(kind).wav",
                    reason: "nested archives are not supported (this file is a \(kind) archive)"
                )
            )
        }
    }
}
