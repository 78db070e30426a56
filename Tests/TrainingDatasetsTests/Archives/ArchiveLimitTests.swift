import Foundation
import Testing
import TrainingDatasets

/// Each limit exactly at its value (accepted) and one past it (refused), in every format.
@Suite("Archive limits")
struct ArchiveLimitTests {
    /// Three files of 10, 100 and 0 bytes (110 in all) and two directories.
    static let entries: [(String, [UInt8])] = [
        ("a/", []),
        ("a/one.wav", [UInt8](repeating: 1, count: 10)),
        ("a/b/", []),
        ("a/b/two.wav", [UInt8](repeating: 2, count: 100)),
        ("three.wav", []),
    ]

    func check(_ format: ArchiveFormat, _ limits: ArchiveLimits) throws -> ArchiveError? {
        let scratch = try Scratch()
        let archive = try ExtractionTests.archive(format, Self.entries, in: scratch)
        let destination = try scratch.directory("out")
        do {
            _ = try ArchiveExtractor.extract(archive: archive, into: destination, limits: limits)
            #expect(Scratch.tree(destination).count == 5)
            return nil
        } catch let error as ArchiveError {
            #expect(Scratch.tree(destination).isEmpty)
            return error
        }
    }

    @Test(
        "File count: directories do not count; 3 files pass a limit of 3 and fail one of 2",
        arguments: ArchiveFormat.allCases
    )
    func fileCount(format: ArchiveFormat) throws {
        #expect(try self.check(format, ArchiveLimits(maxFileCount: 3)) == nil)
        let error = try self.check(format, ArchiveLimits(maxFileCount: 2))
        #expect(
            error?.violations == [
                ArchiveViolation(path: nil, reason: "the archive holds 3 files, more than the 2 allowed")
            ]
        )
    }

    @Test("One file's size: 100 bytes pass a limit of 100 and fail one of 99", arguments: ArchiveFormat.allCases)
    func singleFileSize(format: ArchiveFormat) throws {
        #expect(try self.check(format, ArchiveLimits(maxSingleFileBytes: 100)) == nil)
        let error = try self.check(format, ArchiveLimits(maxSingleFileBytes: 99))
        #expect(error?.violations.count == 1)
        #expect(
            error.has(
                path: "a/b/two.wav",
                reason: "the file is 100 bytes, larger than the 99 bytes allowed for one file"
            )
        )
    }

    @Test("Total size: 110 bytes pass a limit of 110 and fail one of 109", arguments: ArchiveFormat.allCases)
    func totalSize(format: ArchiveFormat) throws {
        #expect(try self.check(format, ArchiveLimits(maxTotalBytes: 110)) == nil)
        let error = try self.check(format, ArchiveLimits(maxTotalBytes: 109))
        #expect(
            error?.violations == [
                ArchiveViolation(path: nil, reason: "the files add up to 110 bytes, more than the 109 bytes allowed")
            ]
        )
    }

    @Test("MiB limits are exact: 1 MiB passes 1 MiB, 1 MiB + 1 byte does not")
    func mebibyteBoundary() throws {
        let scratch = try Scratch()
        for (size, accepted) in [(1 << 20, true), ((1 << 20) + 1, false)] {
            var tar = TarBuilder()
            tar.file("big.wav", [UInt8](repeating: 9, count: size))
            let error = try scratch.rejection(
                tar.finished(),
                limits: ArchiveLimits(maxTotalBytes: 1 << 20, maxSingleFileBytes: 1 << 20)
            )
            #expect((error == nil) == accepted)
            if !accepted {
                #expect(
                    error.has(
                        path: "big.wav",
                        reason: "1 MiB (1048577 bytes), larger than the 1 MiB (1048576 bytes) allowed"
                    )
                )
                #expect(error.has(path: nil, reason: "add up to 1 MiB (1048577 bytes)"))
            }
        }
    }

    @Test(
        "File types: the extension after the last dot, any case; files without one fail",
        arguments: ArchiveFormat.allCases
    )
    func fileTypes(format: ArchiveFormat) throws {
        let scratch = try Scratch()
        let archive = try ExtractionTests.archive(
            format,
            [
                ("yes/A.WAV", [1]), ("yes/b.backup.wav", [2]), ("yes/c.mp3", [3]), ("README", [4]),
                ("d.wav.txt", [5]), ("dir.mp3/", []),
            ],
            in: scratch
        )
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.inspect(archive: archive, limits: ArchiveLimits(allowedFileExtensions: ["wav"]))
        }
        #expect(
            error?.violations == [
                ArchiveViolation(path: "yes/c.mp3", reason: "file type 'mp3' is not allowed (allowed: wav)"),
                ArchiveViolation(path: "README", reason: "the file has no extension (allowed: wav)"),
                ArchiveViolation(path: "d.wav.txt", reason: "file type 'txt' is not allowed (allowed: wav)"),
            ]
        )
        #expect(
            try ArchiveExtractor.inspect(
                archive: archive,
                limits: ArchiveLimits(allowedFileExtensions: ["wav", "mp3", "txt", ""])
            ).fileCount == 5
        )
    }

    @Test("Zero and empty mean no limit")
    func zeroMeansUnlimited() throws {
        #expect(
            try self.check(
                .zip,
                ArchiveLimits(maxTotalBytes: 0, maxFileCount: 0, maxSingleFileBytes: 0, allowedFileExtensions: [])
            ) == nil
        )
    }

    @Test("Every violation is listed, archive-wide ones first, up to maxReportedViolations")
    func violationListIsBounded() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        for index in 0..<60 { tar.file("clip\(index).mp3", [1]) }
        let bytes = tar.finished()

        let all = try scratch.rejection(
            bytes,
            limits: ArchiveLimits(maxFileCount: 10, allowedFileExtensions: ["wav"], maxReportedViolations: 0)
        )
        #expect(all?.violations.count == 61)
        #expect(all?.truncated == false)

        let bounded = try scratch.rejection(
            bytes,
            limits: ArchiveLimits(maxFileCount: 10, allowedFileExtensions: ["wav"])
        )
        #expect(bounded?.violations.count == 50)
        #expect(bounded?.truncated == true)
        #expect(
            bounded?.violations.first
                == ArchiveViolation(path: nil, reason: "the archive holds 60 files, more than the 10 allowed")
        )
        #expect(bounded?.violations.last?.path == "clip48.mp3")
        #expect(bounded.map { String(describing: $0) }?.hasSuffix("and more problems not listed") == true)
    }
}
