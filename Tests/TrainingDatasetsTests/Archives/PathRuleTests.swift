import Foundation
import Testing
import TrainingDatasets

@Suite("Path rules and extraction safety")
struct PathRuleTests {
    @Test("Names longer than the file system allows are refused before anything is written")
    func overlongNames() throws {
        let scratch = try Scratch()
        let longComponent = String(repeating: "a", count: 256) + ".wav"
        #expect(
            try scratch.rejection(HostileEntryTests.tar([longComponent])).has(
                reason: "a name in the path is longer than 255 bytes"
            )
        )
        let deepPath = Array(repeating: String(repeating: "d", count: 200), count: 6).joined(separator: "/") + "/x.wav"
        #expect(
            try scratch.rejection(HostileEntryTests.tar([deepPath])).has(reason: "the path is longer than 1024 bytes")
        )
        let fine = String(repeating: "b", count: 251) + ".wav"
        #expect(try scratch.inspect(HostileEntryTests.tar([fine])).files == [fine])
    }

    @Test("Old (pre-POSIX) tar headers without the ustar magic are read")
    func v7Tar() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("a.wav", text: "old")
        var bytes = tar.finished()
        bytes.replaceSubrange(257..<265, with: [UInt8](repeating: 0, count: 8))
        bytes.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: " "), count: 8))
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        let digits = Array(String(sum, radix: 8).utf8)
        bytes.replaceSubrange(
            148..<156,
            with: [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, 32]
        )
        let url = try scratch.file("old.tar", bytes)
        #expect(try ArchiveFormat.detect(at: url) == .tar)
        #expect(try ArchiveExtractor.inspect(archive: url, limits: .unlimited).files == ["a.wav"])
    }

    @Test("Hard-link targets in GNU 'K' records are reported")
    func gnuLongLink() throws {
        let scratch = try Scratch()
        let target = String(repeating: "t", count: 120) + ".wav"
        var tar = TarBuilder()
        tar.rawEntry(name: Array("././@LongLink".utf8), type: "K", contents: Array(target.utf8) + [0])
        tar.hardLink("b.wav", to: "short")
        #expect(try scratch.rejection(tar.finished()).has(path: "b.wav", reason: "this one links to '\(target)'"))
    }

    @Test("An archive that changes between the two passes is still held to the limits while writing")
    func archiveChangedBetweenPasses() throws {
        let scratch = try Scratch()
        // a.wav is larger than the read buffer, so pass 2 reads b.wav's header after the swap.
        func archive(bSize: Int) -> [UInt8] {
            var tar = TarBuilder()
            tar.file("a.wav", [UInt8](repeating: 1, count: 100_000))
            tar.file("b.wav", [UInt8](repeating: 2, count: bSize))
            return tar.finished()
        }
        let url = try scratch.file("swap.tar", archive(bSize: 10))
        let destination = try scratch.directory("out")
        let limits = ArchiveLimits(maxTotalBytes: 100_010)
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive: url, into: destination, limits: limits) { path in
                guard path == "a.wav" else { return }
                let handle = try FileHandle(forWritingTo: url)
                try handle.write(contentsOf: Data(archive(bSize: 5000)))
                try handle.close()
            }
        }
        #expect(
            error?.violations == [
                ArchiveViolation(
                    path: nil,
                    reason:
                        "the files add up to 102.5 KiB (105000 bytes), more than the 97.7 KiB (100010 bytes) allowed"
                )
            ]
        )
        #expect(Scratch.tree(destination).isEmpty)
    }

    @Test("A cancelled task stops the scan")
    func cancellation() async throws {
        let scratch = try Scratch()
        let url = try scratch.file("a.tar", HostileEntryTests.tar(["a.wav", "b.wav"]))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try ArchiveExtractor.inspect(archive: url, limits: .unlimited)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
