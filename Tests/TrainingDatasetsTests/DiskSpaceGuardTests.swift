import Foundation
import Synchronization
import Testing
import TrainingCore
import TrainingDatasets
import TrainingTesting

/// A volume of `capacity` bytes holding only what is under `directory`, so tests run out of disk on
/// demand. After `shrinkAfter` measurements it reports no free space at all, as if another writer
/// had filled the disk in the meantime.
final class FakeVolume: Sendable {
    let capacity: UInt64
    let directory: URL
    private let measurements = Mutex(0)
    private let shrinkAfter: Int?

    init(capacity: UInt64, directory: URL, shrinkAfter: Int? = nil) {
        self.capacity = capacity
        self.directory = directory
        self.shrinkAfter = shrinkAfter
    }

    func diskSpace(reserve: UInt64) -> DiskSpaceGuard {
        DiskSpaceGuard(directory: self.directory, reserveBytes: reserve) { _ in self.space() }
    }

    private func space() -> DiskSpaceGuard.VolumeSpace {
        let count = self.measurements.withLock { count in
            count += 1
            return count
        }
        if let shrinkAfter, count > shrinkAfter {
            return .init(availableBytes: 0, totalBytes: self.capacity)
        }
        let used = Self.bytes(under: self.directory)
        return .init(availableBytes: self.capacity > used ? self.capacity - used : 0, totalBytes: self.capacity)
    }

    /// The bytes of the regular files under `directory` (folders are free on this volume).
    static func bytes(under directory: URL) -> UInt64 {
        let keys: Set<URLResourceKey> = [.fileSizeKey, .isRegularFileKey]
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: Array(keys))
        var total: UInt64 = 0
        while let file = files?.nextObject() as? URL {
            guard let values = try? file.resourceValues(forKeys: keys), values.isRegularFile == true else { continue }
            total += UInt64(values.fileSize ?? 0)
        }
        return total
    }

    /// Every regular file under `directory`, relative.
    static func files(under directory: URL) -> [String] {
        Scratch.tree(directory).filter { !$0.hasSuffix("/") }
    }
}

@Suite("Free-disk reserve")
struct DiskSpaceGuardTests {
    static let reserve: UInt64 = 64 << 20

    @Test("statvfs agrees with Foundation's view of the volume")
    func measuresTheRealVolume() throws {
        let directory = FileManager.default.temporaryDirectory
        let space = try DiskSpaceGuard(directory: directory).volumeSpace()
        let values = try directory.resourceValues(forKeys: [.volumeTotalCapacityKey, .volumeAvailableCapacityKey])
        let total = try #require(values.volumeTotalCapacity)
        let available = try #require(values.volumeAvailableCapacity)
        #expect(space.totalBytes == UInt64(total))
        // Others write to the same disk meanwhile: agree within 1 %.
        #expect(Double(space.availableBytes).distance(to: Double(available)).magnitude <= Double(total) / 100)
        #expect(DiskSpaceGuard(directory: directory.appending(path: "not/created/yet")).writableBytes() != nil)
    }

    @Test("The automatic reserve is the smaller of 1 GiB and 5 % of the volume")
    func automaticReserve() {
        let guardian = DiskSpaceGuard(directory: URL(filePath: "/"))
        #expect(guardian.reserve(for: .init(availableBytes: 0, totalBytes: 10 << 30)) == (10 << 30) / 100 * 5)
        #expect(guardian.reserve(for: .init(availableBytes: 0, totalBytes: 100 << 30)) == 1 << 30)
        #expect(DiskSpaceGuard(directory: URL(filePath: "/"), reserveBytes: 7).reserve(for: .init(availableBytes: 0, totalBytes: 100 << 30)) == 7)
    }

    @Test("A write that would go below the reserve is refused with RESOURCE_EXHAUSTED")
    func checkRoom() throws {
        let guardian = DiskSpaceGuard(directory: URL(filePath: "/"), reserveBytes: 1 << 30) { _ in
            .init(availableBytes: 2 << 30, totalBytes: 100 << 30)
        }
        #expect(guardian.writableBytes() == 1 << 30)
        #expect(guardian.hasRoom(for: 1 << 30))
        let refusal = #expect(throws: TrainingError.self) { try guardian.checkRoom(for: (1 << 30) + 1) }
        #expect(refusal?.code == .resourceExhausted)
        #expect(refusal?.message == "The service is low on disk space; try again later.")
    }

    @Test("An upload whose file_size cannot fit is refused before anything is created")
    func uploadRefusedUpFront() throws {
        let scratch = try Scratch()
        let volume = FakeVolume(capacity: Self.reserve + (1 << 20), directory: scratch.url)
        let files = ModelFiles(dataDirectory: scratch.url, diskSpace: volume.diskSpace(reserve: Self.reserve))
        let refusal = #expect(throws: TrainingError.self) {
            try DatasetFileWriter(files: files, modelID: ModelIdentifier.generate(), expectedBytes: 2 << 20)
        }
        #expect(refusal?.code == .resourceExhausted)
        #expect(Scratch.tree(scratch.url).isEmpty)
    }

    @Test("An upload that reaches the reserve while streaming is refused and leaves nothing behind")
    func uploadRefusedWhileWriting() throws {
        let scratch = try Scratch()
        let volume = FakeVolume(capacity: Self.reserve + (3 << 20), directory: scratch.url)
        let files = ModelFiles(dataDirectory: scratch.url, diskSpace: volume.diskSpace(reserve: Self.reserve))
        let writer = try DatasetFileWriter(files: files, modelID: ModelIdentifier.generate())
        var written = 0
        let refusal = #expect(throws: TrainingError.self) {
            for _ in 0..<10 {
                try writer.write(Data(count: 1 << 20))
                written += 1
            }
        }
        #expect(refusal?.code == .resourceExhausted)
        #expect(written == 3, "three MiB fit above the reserve, the fourth does not")
        #expect(FakeVolume.files(under: scratch.url).isEmpty)
    }

    @Test("A file:// link copy under low disk is refused and leaves nothing behind")
    func fileLinkRefused() async throws {
        let scratch = try Scratch()
        let root = try scratch.directory("links")
        let source = root.appending(path: "data.zip")
        try Data(count: 4 << 20).write(to: source)
        let dataDirectory = try scratch.directory("data")
        let volume = FakeVolume(capacity: Self.reserve + (2 << 20), directory: dataDirectory)
        let files = ModelFiles(dataDirectory: dataDirectory, diskSpace: volume.diskSpace(reserve: Self.reserve))
        var policy = DatasetLinkPolicy.defaults
        policy.fileLinkRoot = root
        let error = await #expect(throws: TrainingError.self) {
            try await DatasetLinkFetcher(policy: policy).fetch(
                source.absoluteString,
                files: files,
                modelID: ModelIdentifier.generate(),
                maxBytes: nil
            )
        }
        #expect(error?.code == .resourceExhausted)
        #expect(FakeVolume.files(under: dataDirectory).isEmpty)
    }

    @Test("An http(s) download under low disk is refused, with or without Content-Length, leaving nothing", arguments: [true, false])
    func downloadRefused(declareLength: Bool) async throws {
        let http = try await LocalHTTPServer.start(routes: ["/data.zip": .bytes(Data(count: 4 << 20), declareLength: declareLength)])
        let scratch = try Scratch()
        let volume = FakeVolume(capacity: Self.reserve + (2 << 20), directory: scratch.url)
        let files = ModelFiles(dataDirectory: scratch.url, diskSpace: volume.diskSpace(reserve: Self.reserve))
        var policy = DatasetLinkPolicy.defaults
        policy.allowedHosts = ["127.0.0.1"]
        let error = await #expect(throws: TrainingError.self) {
            try await DatasetLinkFetcher(policy: policy).fetch(
                http.url("/data.zip"),
                files: files,
                modelID: ModelIdentifier.generate(),
                maxBytes: nil
            )
        }
        #expect(error?.code == .resourceExhausted)
        #expect(FakeVolume.files(under: scratch.url).isEmpty)
        try await http.stop()
    }

    @Test("Extraction that would go below the reserve is refused before writing, and while writing")
    func extractionRefused() throws {
        let scratch = try Scratch()
        // Noise, so that the bomb guard has nothing to say.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        let noise = (0..<(4 << 20)).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        let archive = try ExtractionTests.archive(
            .tarGzip,
            (0..<4).map { ("yes/\($0).wav", Array(noise[($0 << 20)..<(($0 + 1) << 20)])) },
            in: scratch
        )
        // Before: 4 MiB of files do not fit in 2 MiB above the reserve; nothing is written.
        let before = try scratch.directory("before")
        let small = FakeVolume(capacity: Self.reserve + (2 << 20), directory: before)
        let refusal = #expect(throws: TrainingError.self) {
            try ArchiveExtractor.extract(
                archive: archive,
                into: before,
                limits: .unlimited,
                diskSpace: small.diskSpace(reserve: Self.reserve)
            )
        }
        #expect(refusal?.code == .resourceExhausted)
        #expect(Scratch.tree(before).isEmpty)

        // While: the space is there when the extraction starts, and gone after 20 writes.
        let during = try scratch.directory("during")
        let shrinking = FakeVolume(capacity: Self.reserve + (64 << 20), directory: during, shrinkAfter: 20)
        let late = #expect(throws: TrainingError.self) {
            try ArchiveExtractor.extract(
                archive: archive,
                into: during,
                limits: .unlimited,
                diskSpace: shrinking.diskSpace(reserve: Self.reserve)
            )
        }
        #expect(late?.code == .resourceExhausted)
        #expect(Scratch.tree(during).isEmpty)

        // With room, the same archive extracts.
        let roomy = try scratch.directory("roomy")
        let large = FakeVolume(capacity: Self.reserve + (64 << 20), directory: roomy)
        let summary = try ArchiveExtractor.extract(
            archive: archive,
            into: roomy,
            limits: .unlimited,
            diskSpace: large.diskSpace(reserve: Self.reserve)
        )
        #expect(summary.totalBytes == 4 << 20)
    }
}

/// Validation's extraction keeps the data directory's reserve, the one configured for the server
/// (`limits.diskReserveMebibytes`), not a default of its own.
@Suite("Free-disk reserve at validation")
struct ExtractionReserveTests {
    @Test("a dataset whose files would go below the reserve is refused, and its extracted area stays empty")
    func extractionKeepsTheReserve() throws {
        let scratch = try Scratch()
        let data = scratch.url.appending(path: "data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let entries: [(String, [UInt8])] = [("yes/1.wav", Array(repeating: 1, count: 400 << 10)), ("no/1.wav", Array(repeating: 2, count: 400 << 10))]
        let archive = try ExtractionTests.archive(.zip, entries, in: scratch)
        // 1 MiB free beyond what the stored archive takes; the reserve leaves room for less than the 800 KiB of clips.
        let volume = FakeVolume(capacity: FakeVolume.bytes(under: scratch.url) + (1 << 20), directory: scratch.url)
        let files = ModelFiles(dataDirectory: data, diskSpace: volume.diskSpace(reserve: 512 << 10))
        let id = ModelIdentifier.generate()
        let stored = try files.newPath(for: id, in: .datasets, suffix: ".bin")
        try FileManager.default.moveItem(at: archive, to: stored)
        let reference = DatasetReference(path: files.relativePath(of: stored), originalName: "d.zip", byteCount: 0, sha256: "")
        let method = TrainableMethod(
            name: MethodName(service: "s.S", method: "m"), options: TrainingOptions(datasetFilesTypes: ["wav"])
        )
        do {
            _ = try DatasetExtraction.extract(reference, method: method, files: files, modelID: id)
            Issue.record("extraction went below the reserve")
        } catch let error as TrainingError {
            #expect(error.code == .resourceExhausted, "\(error)")
        }
        let extracted = try files.modelDirectory(id).appending(path: "extracted")
        #expect(FakeVolume.files(under: extracted).isEmpty)
    }
}
