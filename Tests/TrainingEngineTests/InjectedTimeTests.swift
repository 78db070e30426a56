import Foundation
import Synchronization
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingJobs
import TrainingTesting

/// The workflow's and the runner's waits run on the engine's test clock: a test moves time past a
/// limit instead of waiting for it.
@Suite("Time limits on an injected clock")
struct InjectedTimeTests {
    @Test("an upload stream that goes silent for upload_idle_timeout is ended with DEADLINE_EXCEEDED and its partial file removed")
    func idleUpload() async throws {
        var limits = ServerLimits.defaults
        limits.uploadIdleTimeout = .seconds(7)
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(), limits: limits)
        defer { engine.stop() }
        let id = try await engine.createModel()
        let (stream, sender) = AsyncStream<UploadChunk>.makeStream()
        let chunks = CountedChunks(base: stream)
        sender.yield(
            UploadChunk(
                modelID: id, data: Data([0x50, 0x4B, 0x03, 0x04]) + Data(count: 1020), fileName: "d.zip", fileSize: 4096, batchSize: 1024,
                batchNumber: 1, batchCount: 4
            )
        )
        let upload = Task { try await engine.workflow.upload(chunks) }
        // Asked for the second message: the first is written and the stream's activity noted.
        #expect(try await chunks.changes.read(until: { $0 >= 2 }, timeout: .seconds(30)) { chunks.pulls } >= 2, "the first message was taken")
        #expect(try await engine.clock.waitForSleepers(sleepingFor: .seconds(7)), "the idle timer is set")
        engine.clock.advance(by: .seconds(7))
        let error = await #expect(throws: TrainingError.self) { try await upload.value }
        #expect(error?.code == .deadlineExceeded)
        #expect(error?.message.contains("sent nothing for 7 seconds") == true, "\(error?.message ?? "")")
        #expect(try await engine.workflow.status(of: id).status == .created)
        let files = FileManager.default.enumerator(atPath: engine.dataDirectory.path(percentEncoded: false))?.allObjects as? [String] ?? []
        #expect(files.filter { $0.hasSuffix(".part") }.isEmpty, "left behind: \(files)")
        sender.finish()
    }

    @Test("a job over the time limit is stopped and its model ends ERRORED naming the limit")
    func jobTimeLimit() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let events = TrainerEvents()
        var jobs = JobRunnerConfiguration(concurrency: 2, workerName: "engine-test", lease: .seconds(3), pollInterval: .milliseconds(20), maxAttempts: 3)
        jobs.maxRunTime = .seconds(7)
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(trainingDelay: .seconds(3600), events: events), jobs: jobs)
        defer { engine.stop() }
        let id = try await engine.validatedModel(archive)
        #expect(try await engine.clock.waitForSleepers(sleepingFor: .seconds(7), count: 0), "the validation's time limit is gone")
        _ = try await engine.workflow.train(id)
        #expect(try await engine.clock.waitForSleepers(sleepingFor: .seconds(7)), "the training's time limit is set")
        engine.clock.advance(by: .seconds(7))
        let ended = try await engine.wait(id, until: [.errored, .readyToUse])
        #expect(ended.status == .errored)
        #expect(ended.statusDetail?.contains("time limit of 7 seconds") == true, "\(ended.statusDetail ?? "")")
        #expect(try await events.wait(for: .cancelled, timeout: .seconds(30)), "the trainer itself was stopped")
    }

    @Test("deleting a model cancels its running job at once and removes its files")
    func deleteCancelsTraining() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let events = TrainerEvents()
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(trainingDelay: .seconds(3600), events: events))
        defer { engine.stop() }
        let id = try await engine.validatedModel(archive)
        _ = try await engine.workflow.train(id)
        #expect(try await events.wait(for: .started, timeout: .seconds(30)), "training started")
        #expect(try await engine.workflow.delete(id) == .deleted)
        // No heartbeat can have run (the clock stands still): the delete itself stopped the trainer.
        #expect(try await events.wait(for: .cancelled, timeout: .seconds(30)), "the running trainer was cancelled")
        #expect(!events.all.contains(.finished))
        #expect(try await engine.workflow.status(of: id).status == .deleted)
        #expect(!FileManager.default.fileExists(atPath: engine.dataDirectory.appending(path: "models/\(id)").path(percentEncoded: false)))
    }
}

/// An upload stream that counts how often the workflow asked for its next message, so a test knows
/// when a message has been taken (written, and the stream's activity noted).
struct CountedChunks: AsyncSequence, Sendable {
    let base: AsyncStream<UploadChunk>
    let changes = ChangeSignal()
    private let count = Counter()

    var pulls: Int { count.value.withLock { $0 } }

    final class Counter: Sendable {
        let value = Mutex(0)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<UploadChunk>.AsyncIterator
        let count: Counter
        let changes: ChangeSignal

        mutating func next() async -> UploadChunk? {
            count.value.withLock { $0 += 1 }
            changes.changed()
            return await base.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), count: count, changes: changes) }
}
