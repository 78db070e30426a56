import Foundation
import Testing
import TrainingDatasets

@Suite("Extracting accepted archives")
struct ExtractionTests {
    static let files: [(String, [UInt8])] = [
        ("yes/a.wav", Array("first".utf8)),
        ("yes/b.wav", [UInt8](repeating: 3, count: 70_000)),
        ("no/c.wav", []),
        ("readme.txt", Array("hello".utf8)),
    ]

    static func archive(_ format: ArchiveFormat, _ entries: [(String, [UInt8])], in scratch: Scratch) throws -> URL {
        switch format {
        case .zip:
            let url = scratch.url.appendingPathComponent("upload-\(UUID().uuidString).bin")
            try ZipFixture.write(entries, to: url)
            return url
        case .tar, .tarGzip:
            var tar = TarBuilder()
            for (path, contents) in entries {
                if path.hasSuffix("/") { tar.directory(path) } else { tar.file(path, contents) }
            }
            let bytes = tar.finished()
            return try scratch.file("upload-\(UUID().uuidString).bin", format == .tar ? bytes : Deflate.gzip(bytes))
        }
    }

    @Test(
        "Files and directories come out byte for byte; directories are not counted",
        arguments: ArchiveFormat.allCases
    )
    func roundTrip(format: ArchiveFormat) throws {
        let scratch = try Scratch()
        let archive = try Self.archive(format, [("empty-dir/", [])] + Self.files, in: scratch)
        let destination = try scratch.directory("out")

        let summary = try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)

        #expect(summary.format == format)
        #expect(summary.fileCount == 4)
        #expect(summary.totalBytes == 70_010)
        #expect(summary.files == Self.files.map(\.0))
        for (path, contents) in Self.files {
            #expect(try Data(contentsOf: destination.appendingPathComponent(path)) == Data(contents))
        }
        #expect(Scratch.tree(destination).contains("empty-dir/"))
        let inspected = try ArchiveExtractor.inspect(archive: archive, limits: .unlimited)
        #expect(inspected.files == summary.files)
    }

    @Test("macOS metadata (__MACOSX/, ._*, .DS_Store) is skipped and not counted", arguments: ArchiveFormat.allCases)
    func macOSJunk(format: ArchiveFormat) throws {
        let scratch = try Scratch()
        let archive = try Self.archive(
            format,
            [
                ("a.wav", Array("audio".utf8)),
                ("__MACOSX/", []),
                ("__MACOSX/._a.wav", Array("resource fork".utf8)),
                ("sub/._b.wav", Array("x".utf8)),
                (".DS_Store", Array("finder".utf8)),
                ("sub/.DS_Store", Array("finder".utf8)),
            ],
            in: scratch
        )
        let destination = try scratch.directory("out")
        // Only one real file: a one-file limit and a wav-only rule both pass.
        let limits = ArchiveLimits(maxFileCount: 1, allowedFileExtensions: ["wav"])
        let summary = try ArchiveExtractor.extract(archive: archive, into: destination, limits: limits)
        #expect(summary.files == ["a.wav"])
        #expect(Scratch.tree(destination) == ["a.wav"])
    }

    @Test("Tar paths with ./ are normalised and the ./ entry itself is skipped")
    func dotSlash() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.directory("./")
        tar.directory("./yes/")
        tar.file("./yes/a.wav", text: "a")
        tar.file("./b.wav", text: "b")
        let destination = try scratch.directory("out")
        let summary = try ArchiveExtractor.extract(
            archive: scratch.file("d.tar", tar.finished()),
            into: destination,
            limits: .unlimited
        )
        #expect(summary.files == ["yes/a.wav", "b.wav"])
        #expect(Scratch.tree(destination) == ["b.wav", "yes/", "yes/a.wav"])
    }

    @Test("The destination must exist and be empty; nothing in it is touched otherwise")
    func destinationMustBeEmpty() throws {
        let scratch = try Scratch()
        let archive = try Self.archive(.zip, Self.files, in: scratch)
        let destination = try scratch.directory("out")
        try Data("mine".utf8).write(to: destination.appendingPathComponent("keep.txt"))

        #expect(throws: ArchiveStorageError.self) {
            try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)
        }
        #expect(Scratch.tree(destination) == ["keep.txt"])
        #expect(throws: ArchiveStorageError.self) {
            try ArchiveExtractor.extract(
                archive: archive,
                into: scratch.url.appendingPathComponent("missing"),
                limits: .unlimited
            )
        }
    }

    @Test("A failure half-way through writing removes every file already written")
    func cleanupAfterFailureInPassTwo() throws {
        struct DiskFull: Error {}
        let scratch = try Scratch()
        let archive = try Self.archive(.tarGzip, Self.files, in: scratch)
        let destination = try scratch.directory("out")
        var created: [String] = []

        #expect(throws: DiskFull.self) {
            try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited) { path in
                if created.count == 3 { throw DiskFull() }
                created.append(path)
            }
        }
        #expect(created.count == 3)
        #expect(Scratch.tree(destination).isEmpty)
    }

    @Test(
        "A refused archive leaves the destination empty and writes nothing beside it",
        arguments: ArchiveFormat.allCases
    )
    func refusedArchiveWritesNothing(format: ArchiveFormat) throws {
        let scratch = try Scratch()
        let archive = try Self.archive(format, Self.files + [("z.mp3", Array("mp3".utf8))], in: scratch)
        let destination = try scratch.directory("out")
        let before = Scratch.tree(scratch.url)

        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(
                archive: archive,
                into: destination,
                limits: ArchiveLimits(allowedFileExtensions: ["wav", "txt"])
            )
        }
        #expect(
            error?.violations == [
                ArchiveViolation(path: "z.mp3", reason: "file type 'mp3' is not allowed (allowed: txt, wav)")
            ]
        )
        #expect(Scratch.tree(destination).isEmpty)
        #expect(Scratch.tree(scratch.url) == before)
    }

    @Test("Extracted files get fixed permissions, whatever the archive says")
    func permissions() throws {
        let scratch = try Scratch()
        let archive = try Self.archive(.tar, Self.files, in: scratch)
        let destination = try scratch.directory("out")
        _ = try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: destination.appendingPathComponent("yes/a.wav").path
        )
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o7000 } == 0)
    }
}
