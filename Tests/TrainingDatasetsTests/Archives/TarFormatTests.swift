import Foundation
import Testing
import TrainingDatasets

@Suite("Tar dialects")
struct TarFormatTests {
    static let longPath = "speakers/" + String(repeating: "long-directory-name/", count: 6) + "utterance-0001.wav"

    @Test(
        "Long names in GNU 'L' records, PAX headers and the ustar prefix all extract to the right path",
        arguments: [TarBuilder.LongNames.gnu, .pax, .ustarPrefix]
    )
    func longNames(style: TarBuilder.LongNames) throws {
        #expect(Self.longPath.utf8.count > 100)
        let scratch = try Scratch()
        var tar = TarBuilder(longNames: style)
        tar.file(Self.longPath, text: "long")
        tar.file("short.wav", text: "short")
        let destination = try scratch.directory("out")
        for bytes in [tar.finished(), try Deflate.gzip(tar.finished())] {
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            let summary = try ArchiveExtractor.extract(
                archive: scratch.file("long.bin", bytes),
                into: destination,
                limits: .unlimited
            )
            #expect(summary.files == [Self.longPath, "short.wav"])
            #expect(
                try String(contentsOf: destination.appendingPathComponent(Self.longPath), encoding: .utf8) == "long"
            )
        }
    }

    @Test("A PAX size record overrides the header's size field")
    func paxSize() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.pax(["size": Array("5".utf8)])
        tar.entry("a.wav", type: "0", contents: Array("hello".utf8), size: 0)
        tar.file("b.wav", text: "after")
        let summary = try scratch.inspect(tar.finished())
        #expect(summary.files == ["a.wav", "b.wav"])
        #expect(summary.totalBytes == 10)
    }

    @Test("PAX global headers apply to later entries; local records win over them")
    func paxGlobal() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.pax(["comment": Array("made by a test".utf8), "path": Array("global.wav".utf8)], global: true)
        tar.pax(["path": Array("local.wav".utf8)])
        tar.file("ignored-1.wav", text: "1")
        let summary = try scratch.inspect(tar.finished())
        #expect(summary.files == ["local.wav"])
    }

    @Test("GNU sparse files are refused")
    func sparse() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.entry("holes.wav", type: "S", contents: [1, 2, 3])
        #expect(
            try scratch.rejection(tar.finished()).has(
                path: "holes.wav",
                reason: "GNU sparse file entries are not supported"
            )
        )
        var pax = TarBuilder()
        pax.pax(["GNU.sparse.major": Array("1".utf8), "GNU.sparse.minor": Array("0".utf8)])
        pax.file("holes.wav", [1, 2, 3])
        #expect(
            try scratch.rejection(pax.finished()).has(
                path: "holes.wav",
                reason: "GNU sparse file entries are not supported"
            )
        )
    }

    @Test("A malformed PAX header is refused")
    func malformedPax() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.rawEntry(name: Array("PaxHeaders/x".utf8), type: "x", contents: Array("99 path=x\n".utf8))
        tar.file("a.wav", text: "a")
        #expect(try scratch.rejection(tar.finished()).has(path: nil, reason: "a PAX extended header is malformed"))
    }

    @Test("Base-256 sizes (GNU, for files of 8 GiB and more) are read")
    func base256Size() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("a.wav", text: "hello")
        var bytes = tar.finished()
        // Rewrite the size field as base-256 and fix the checksum.
        let field: [UInt8] = [0x80] + [UInt8](repeating: 0, count: 10) + [5]
        bytes.replaceSubrange(124..<136, with: field)
        bytes.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: " "), count: 8))
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        let digits = Array(String(sum, radix: 8).utf8)
        bytes.replaceSubrange(
            148..<156,
            with: [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, 32]
        )
        #expect(try scratch.inspect(bytes).totalBytes == 5)
    }
}
