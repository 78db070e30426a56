import Foundation
import Testing
import TrainingClient
import TrainingCore
import TrainingDatasets

/// `zip -r mydata.zip mydata/` puts the dataset in one folder; the trainer sees the folders inside
/// it, for every archive type, with the limits applied as before.
@Suite("Datasets wrapped in one top-level folder")
struct DatasetWrapperFolderTests {
    static let method = TrainableMethod(
        name: MethodName(service: "service.ExampleService", method: "stt"),
        options: TrainingOptions(datasetMaxCountFiles: 3, datasetFilesTypes: ["wav"])
    )

    /// Extracts `entries` (as `format`) the way validation does and returns the tree the trainer sees.
    static func extracted(_ format: ArchiveFormat, _ entries: [(String, [UInt8])]) throws -> [String] {
        let scratch = try Scratch()
        let files = ModelFiles(dataDirectory: scratch.url.appending(path: "data"))
        let id = ModelIdentifier.generate()
        let archive = try ExtractionTests.archive(format, entries, in: scratch)
        let stored = try files.newPath(for: id, in: .datasets, suffix: ".bin")
        try FileManager.default.moveItem(at: archive, to: stored)
        let reference = DatasetReference(path: files.relativePath(of: stored), originalName: "mydata", byteCount: 0, sha256: "")
        let directory = try DatasetExtraction.extract(reference, method: Self.method, files: files, modelID: id)
        let extractedArea = try files.modelDirectory(id).appending(path: "extracted")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: extractedArea.path(percentEncoded: false)) == [directory.lastPathComponent],
            "nothing is left beside the dataset's folder"
        )
        return Scratch.tree(directory)
    }

    static let wrapped: [(String, [UInt8])] = [
        ("mydata/", []), ("mydata/yes/", []), ("mydata/yes/1.wav", Array("y".utf8)), ("mydata/no/", []),
        ("mydata/no/1.wav", Array("n".utf8)),
    ]

    @Test("the wrapper folder is dropped", arguments: [ArchiveFormat.zip, .tar, .tarGzip])
    func wrapperDropped(_ format: ArchiveFormat) throws {
        #expect(try Self.extracted(format, Self.wrapped) == ["no/", "no/1.wav", "yes/", "yes/1.wav"])
        // Archivers that store no directory entries (only file paths) give the same result.
        #expect(try Self.extracted(format, Self.wrapped.filter { !$0.0.hasSuffix("/") }) == ["no/", "no/1.wav", "yes/", "yes/1.wav"])
    }

    @Test("a single folder of files (one word) and a top level with several entries are left as they are")
    func notWrappers() throws {
        #expect(try Self.extracted(.zip, [("yes/1.wav", [1]), ("yes/2.wav", [2])]) == ["yes/", "yes/1.wav", "yes/2.wav"])
        #expect(try Self.extracted(.zip, [("yes/1.wav", [1]), ("no/1.wav", [2])]) == ["no/", "no/1.wav", "yes/", "yes/1.wav"])
        #expect(try Self.extracted(.zip, [("mydata/yes/1.wav", [1]), ("notes.wav", [2])]) == ["mydata/", "mydata/yes/", "mydata/yes/1.wav", "notes.wav"])
    }

    @Test("limits apply as before: four files in a wrapper break a three-file limit", arguments: [ArchiveFormat.zip, .tar, .tarGzip])
    func limitsUnchanged(_ format: ArchiveFormat) throws {
        let four = Self.wrapped + [("mydata/no/2.wav", [3]), ("mydata/no/3.wav", [4])]
        #expect(throws: DatasetRejected.self) { _ = try Self.extracted(format, four) }
    }

    @Test("the client pre-check agrees: a wrapped archive passes, and breaks the same limits", arguments: [ArchiveFormat.zip, .tar, .tarGzip])
    func precheckAgrees(_ format: ArchiveFormat) async throws {
        let scratch = try Scratch()
        let name = format == .zip ? "mydata.zip" : (format == .tar ? "mydata.tar" : "mydata.tar.gz")
        let good = try ExtractionTests.archive(format, Self.wrapped, in: scratch)
        let goodNamed = scratch.url.appending(path: name)
        try FileManager.default.moveItem(at: good, to: goodNamed)
        #expect(try await DatasetPrecheck.check(file: goodNamed, options: Self.method.options).problems == [])

        let bad = try ExtractionTests.archive(format, Self.wrapped + [("mydata/no/2.wav", [3]), ("mydata/no/3.wav", [4])], in: scratch)
        #expect(try await DatasetPrecheck.check(file: bad, options: Self.method.options).problems.isEmpty == false)
    }

    @Test("the same reason for many files is one line naming a few of them")
    func groupedViolations() {
        let violations =
            (1...40).map { ArchiveViolation(path: "yes/\($0).mp3", reason: "file type 'mp3' is not allowed (allowed: wav)") }
            + [ArchiveViolation(path: nil, reason: "too many files"), ArchiveViolation(path: "no/x.wav", reason: "duplicate name")]
        #expect(
            ArchiveViolation.grouped(violations) == [
                "too many files", "file type 'mp3' is not allowed (allowed: wav): yes/1.mp3, yes/2.mp3, yes/3.mp3 and 37 more",
                "no/x.wav: duplicate name",
            ]
        )
    }

    @Test(
        "an archive made from a full path (zip -r deep.zip /tmp/x/words) is refused as such, with the command that makes it right",
        arguments: [ArchiveFormat.zip, .tar, .tarGzip]
    )
    func fullPathArchive(_ format: ArchiveFormat) throws {
        let deep: [(String, [UInt8])] = [("tmp/x/words/yes/1.wav", [1]), ("tmp/x/words/no/1.wav", [2])]
        let error = #expect(throws: DatasetRejected.self) { _ = try Self.extracted(format, deep) }
        let reason = error?.reason ?? ""
        #expect(reason.contains("Every file in the archive is under tmp/x/words/: the archive was made from a full path"), "\(reason)")
        #expect(reason.contains("cd /tmp/x && zip -r -D words.zip words"), "\(reason)")
        #expect(!reason.contains("only one"), "\(reason)")
        // One folder above the dataset's folder (zip -r d.zip /srv/words), and a one-word dataset made the same way.
        let shallow = #expect(throws: DatasetRejected.self) { _ = try Self.extracted(format, [("srv/words/yes/1.wav", [1]), ("srv/words/no/1.wav", [2])]) }
        #expect(shallow?.reason.contains("cd /srv && zip -r -D words.zip words") == true, "\(shallow?.reason ?? "")")
        let oneWord = #expect(throws: DatasetRejected.self) { _ = try Self.extracted(format, [("tmp/x/words/yes/1.wav", [1])]) }
        #expect(oneWord?.reason.contains("under tmp/x/words/") == true, "\(oneWord?.reason ?? "")")
    }

    @Test("a wrapper around one word folder is left for the trainer to explain")
    func oneWordInWrapper() throws {
        #expect(try Self.extracted(.zip, [("words/yes/1.wav", [1]), ("words/yes/2.wav", [2])]) == ["yes/", "yes/1.wav", "yes/2.wav"])
    }
}
