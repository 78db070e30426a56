import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TrainingCore
import TrainingJobs
import TrainingTesting

/// A handler that works for `hold` (on `clock`), then saves VALIDATED through the registry like the
/// real one; it records which jobs started, finished or saw their cancellation.
final class RecordingHandler: JobHandler {
    let registry: InMemoryModelRegistry
    let hold: Duration
    let clock: any Clock<Duration>
    let log = Mutex<[String]>([])

    init(registry: InMemoryModelRegistry, hold: Duration, clock: some Clock<Duration> = ContinuousClock()) {
        self.registry = registry
        self.hold = hold
        self.clock = clock
    }

    func run(_ job: TrainingJob, context: JobContext) async throws {
        log.withLock { $0.append("started \(job.id)") }
        context.progress("working on \(job.id)")
        do {
            try await clock.sleep(for: hold)
        } catch {
            log.withLock { $0.append("cancelled \(job.id)") }
            throw CancellationError()
        }
        var model = try #require(try await registry.model(id: job.modelID))
        let dataset = DatasetReference(path: "d.zip", originalName: "d.zip", byteCount: 1, sha256: "00")
        try model.finishValidation(dataset: dataset, datasetDirectory: "d", report: "ok", now: Date())
        if try await registry.finishJob(jobID: job.id, worker: context.worker, state: .succeeded, model: model) {
            log.withLock { $0.append("finished \(job.id)") }
        }
    }

    func events() -> [String] { log.withLock { $0 } }

    func wait(for event: String, prefix: Bool = false, timeout: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        let seen = { self.events().contains { prefix ? $0.hasPrefix(event) : $0 == event } }
        while !seen(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return seen()
    }
}

@Suite("Job runner over the in-memory registry")
struct JobRunnerTests {
    let registry = InMemoryModelRegistry()
    let configuration = JobRunnerConfiguration(
        concurrency: 2, workerName: "node-1", lease: .seconds(3), pollInterval: .milliseconds(20), maxAttempts: 3
    )

    func newModel() async throws -> ModelRecord {
        let model = ModelRecord(id: UUID().uuidString, method: MethodName(service: "s.S", method: "m"), now: Date())
        try await registry.create(model)
        return model
    }

    func validating(_ model: ModelRecord) throws -> ModelRecord {
        var copy = model
        try copy.beginValidation(dataset: nil, link: "file:///x", now: Date())
        return copy
    }

    @Test("a committed job runs at once and its outcome is saved")
    func runsCommittedJob() async throws {
        let handler = RecordingHandler(registry: registry, hold: .zero)
        let runner = JobRunner(registry: registry, handler: handler, configuration: configuration, logger: Logger(label: "t"))
        let running = Task { try await runner.run() }
        defer { running.cancel() }
        let model = try await runner.commit(try validating(try await newModel()), queueing: .validate)
        let deadline = ContinuousClock.now + .seconds(30)
        while try await registry.model(id: model.id)?.status != .validated, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await registry.model(id: model.id)?.status == .validated)
        #expect(try await registry.pendingJobCount() == 0)
        #expect(handler.events().filter { $0.hasPrefix("started") }.count == 1)
    }

    @Test("committing new work for a model stops its running job on this node at once, without waiting for a heartbeat")
    func commitCancelsRunningJob() async throws {
        let handler = RecordingHandler(registry: registry, hold: .seconds(60))
        // Time stands still: no heartbeat ever beats, so only the direct cancel can stop the job.
        let runner = JobRunner(
            registry: registry, handler: handler, configuration: configuration, sleeper: TestClock(), logger: Logger(label: "t")
        )
        let running = Task { try await runner.run() }
        defer { running.cancel() }
        let model = try await runner.commit(try validating(try await newModel()), queueing: .validate)
        let deadline = ContinuousClock.now + .seconds(30)
        while !handler.events().contains(where: { $0.hasPrefix("started") }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let startedJob = try #require(handler.events().first?.replacingOccurrences(of: "started ", with: ""))
        var deleted = try #require(try await registry.model(id: model.id))
        deleted.markDeleted(now: Date())
        let started = ContinuousClock.now
        try await runner.commit(deleted, queueing: nil)
        #expect(try await handler.wait(for: "cancelled \(startedJob)", timeout: .seconds(10)))
        #expect(ContinuousClock.now - started < .seconds(10), "stopped without waiting for a heartbeat")
        #expect(try await registry.job(id: startedJob)?.state == .cancelled)
    }

    @Test("a job cancelled by another node stops at this node's next heartbeat, as the clock moves")
    func heartbeatCancels() async throws {
        let handler = RecordingHandler(registry: registry, hold: .seconds(60))
        let clock = TestClock()
        let runner = JobRunner(registry: registry, handler: handler, configuration: configuration, sleeper: clock, logger: Logger(label: "t"))
        let running = Task { try await runner.run() }
        defer { running.cancel() }
        let model = try await runner.commit(try validating(try await newModel()), queueing: .validate)
        #expect(try await handler.wait(for: "started", prefix: true))
        let jobID = try #require(handler.events().first?.replacingOccurrences(of: "started ", with: ""))
        // Another node deletes the model through the registry alone: this node hears of it only
        // from its heartbeat.
        var deleted = try #require(try await registry.model(id: model.id))
        deleted.markDeleted(now: Date())
        _ = try await registry.save(deleted, enqueueing: nil)
        #expect(!(try await handler.wait(for: "cancelled \(jobID)", timeout: .milliseconds(200))), "no heartbeat while time stands still")
        let deadline = ContinuousClock.now + .seconds(30)
        while !handler.events().contains("cancelled \(jobID)"), ContinuousClock.now < deadline {
            clock.advance(by: .seconds(1))
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(handler.events().contains("cancelled \(jobID)"))
    }

    @Test("a graceful shutdown hands the running job back to the queue, its attempt uncounted")
    func gracefulShutdownReleases() async throws {
        // Time stands still for the runner and the job: no heartbeat, lease recovery or time limit
        // can touch the job, and it never ends by itself; only the shutdown can stop it.
        let clock = TestClock()
        let handler = RecordingHandler(registry: registry, hold: .seconds(60), clock: clock)
        let runner = JobRunner(registry: registry, handler: handler, configuration: configuration, sleeper: clock, logger: Logger(label: "t"))
        let group = ServiceGroup(configuration: .init(services: [runner], logger: Logger(label: "t")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        _ = try await runner.commit(try validating(try await newModel()), queueing: .validate)
        #expect(try await handler.wait(for: "started", prefix: true, timeout: .seconds(120)))
        let jobID = try #require(handler.events().first?.replacingOccurrences(of: "started ", with: ""))
        await group.triggerGracefulShutdown()
        // Real time bounds only a runner that never stops: it must stop without the clock moving.
        let cancelled = try await handler.wait(for: "cancelled \(jobID)", timeout: .seconds(120))
        #expect(cancelled, "the shutdown cancels the running job")
        guard cancelled else { return }
        try await running.value
        let job = try #require(try await registry.job(id: jobID))
        #expect(job.state == .queued && job.attempts == 0 && job.worker == nil, "\(job)")
    }
}
