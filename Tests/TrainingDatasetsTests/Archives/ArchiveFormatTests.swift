import Foundation
import Testing
import TrainingDatasets
import ZIPFoundation

@Suite("Archive format detection")
struct ArchiveFormatTests {
    static func sample(_ format: ArchiveFormat, in scratch: Scratch) throws -> [UInt8] {
        var tar = TarBuilder()
        tar.file("a.wav", text: "RIFF....WAVE")
        switch format {
        case .zip:
            let url = scratch.url.appendingPathComponent("sample-\(UUID().uuidString).zip")
            try ZipFixture.write([("a.wav", Array("RIFF....WAVE".utf8))], to: url)
            return Array(try Data(contentsOf: url))
        case .tar:
            return tar.finished()
        case .tarGzip:
            return try Deflate.gzip(tar.finished())
        }
    }

    @Test("The format comes from the content, never the name", arguments: ArchiveFormat.allCases)
    func detectsFromContent(format: ArchiveFormat) throws {
        let scratch = try Scratch()
        // Named as something else entirely.
        let url = try scratch.file("dataset.zip.txt", Self.sample(format, in: scratch))
        #expect(try ArchiveFormat.detect(at: url) == format)
    }

    @Test("An empty zip (only the end record, PK 05 06) is a zip")
    func emptyZip() throws {
        let scratch = try Scratch()
        let url = scratch.url.appendingPathComponent("empty.zip")
        _ = try Archive(url: url, accessMode: .create)
        #expect(try Array(Data(contentsOf: url)).starts(with: [0x50, 0x4B, 0x05, 0x06]))
        #expect(try ArchiveFormat.detect(at: url) == .zip)
        let summary = try ArchiveExtractor.inspect(archive: url, limits: .unlimited)
        #expect(summary.fileCount == 0)
    }

    @Test(
        "Content that is no supported archive is refused as an unsupported format",
        arguments: [
            ("plain text", Array("just,some,csv\n1,2,3\n".utf8)),
            ("empty file", []),
            ("PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 600)),
            ("512 bytes that are not a tar header", [UInt8](repeating: 0x41, count: 512)),
        ] as [(String, [UInt8])]
    )
    func unsupported(_ label: String, bytes: [UInt8]) throws {
        let scratch = try Scratch()
        let url = try scratch.file("upload.tar", bytes)
        let detection = #expect(throws: ArchiveError.self) { try ArchiveFormat.detect(at: url) }
        #expect(detection?.code == .unsupportedFormat)
        let inspection = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.inspect(archive: url, limits: .unlimited)
        }
        #expect(inspection?.code == .unsupportedFormat)
        #expect(inspection?.violations.first?.reason.contains("not a zip, tar or tar.gz archive") == true)
    }

    @Test("A gzip file that does not hold a tar is an unsupported format")
    func gzipWithoutTar() throws {
        let scratch = try Scratch()
        let url = try scratch.file("notes.tgz", Deflate.gzip(Array(String(repeating: "hello ", count: 200).utf8)))
        let error = #expect(throws: ArchiveError.self) { try ArchiveFormat.detect(at: url) }
        #expect(error?.code == .unsupportedFormat)
    }

    @Test(
        "File names map to formats by extension",
        arguments: [
            ("x.tar.gz", ArchiveFormat.tarGzip), ("X.TGZ", .tarGzip), (".tgz", .tarGzip), ("data.zip", .zip),
            ("a.b.ZIP", .zip), ("x.tar", .tar), (".tar", .tar), ("x.gz", nil), ("x.zip.txt", nil), ("zip", nil),
            ("", nil),
        ] as [(String, ArchiveFormat?)]
    )
    func fileNames(name: String, expected: ArchiveFormat?) {
        #expect(ArchiveFormat(fileName: name) == expected)
    }
}
