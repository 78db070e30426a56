import Foundation
import Testing

@testable import TrainingDatasets

/// The writer stays inside its directory even if handed a bad path, independently of the name checks.
@Suite("Extraction directory")
struct ExtractionDirectoryTests {
    @Test(
        "Path components that could leave the directory are refused by the writer itself",
        arguments: [
            ["..", "escaped.wav"], ["a", "..", "..", "escaped.wav"], ["a/../../escaped.wav"], ["."], [""], ["a\0b"],
        ]
    )
    func unsafeComponents(components: [String]) throws {
        let scratch = try Scratch()
        let root = try scratch.directory("deep/out")
        let directory = try ExtractionDirectory(root: root)
        #expect(throws: ArchiveStorageError.self) { try directory.createFile(components) }
        #expect(throws: ArchiveStorageError.self) { try directory.makeDirectory(components + ["d"]) }
        #expect(!Scratch.tree(scratch.url).contains { $0.hasSuffix("escaped.wav") })
    }

    @Test("Files are created only where nothing exists, and never through a symbolic link")
    func noReplacingNoFollowing() throws {
        let scratch = try Scratch()
        let root = try scratch.directory("out")
        let outside = try scratch.directory("outside")
        let writer = try ExtractionDirectory(root: root)
        // Put a link and a file in place after the writer checked that the directory was empty.
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: outside)
        try Data("old".utf8).write(to: root.appendingPathComponent("exists.wav"))

        #expect(throws: ArchiveStorageError.self) { try writer.createFile(["link", "x.wav"]) }
        #expect(throws: ArchiveStorageError.self) { try writer.makeDirectory(["link", "sub"]) }
        #expect(throws: ArchiveStorageError.self) { try writer.createFile(["link"]) }
        #expect(throws: ArchiveStorageError.self) { try writer.createFile(["exists.wav"]) }
        #expect(Scratch.tree(outside).isEmpty)
        #expect(try String(contentsOf: root.appendingPathComponent("exists.wav"), encoding: .utf8) == "old")
    }
}
