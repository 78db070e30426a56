import Foundation
import Logging
import Synchronization
import Testing
import TrainingCore
import TrainingRegistry
import TrainingTesting

/// A clock tests move by hand, so lease expiry needs no sleeping.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var wallClock: WallClock { WallClock { self.current.withLock { $0 } } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    var now: Date { current.withLock { $0 } }
}

/// The storage behind a registry under test.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory, sqlite, postgres
    var testDescription: String { rawValue }
}

/// The registry's contract, run against every backend: the in-memory twin, a real SQLite file, and
/// a real PostgreSQL server the test starts itself.
@Suite("Model registry contract")
struct RegistryContractTests {
    let clock = ManualClock()
    let method = MethodName(service: "service.ExampleService", method: "stt")

    func withRegistry(_ backend: Backend, _ body: (any ModelRegistry) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        switch backend {
        case .memory:
            try await body(InMemoryModelRegistry())
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appending(path: "registry-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appending(path: "registry.sqlite").path(percentEncoded: false)
            let sessions = try await SQLiteSessionProvider.open(path: path, logger: logger)
            let registry = try await SQLModelRegistry.migrated(sessions: sessions, clock: clock.wallClock, logger: logger)
            try await body(registry)
            await registry.shutdown()
        case .postgres:
            try await PostgresTestCluster.with { cluster in
                let sessions = try PostgresSessionProvider.pooled(url: cluster.url(), logger: logger)
                let registry = try await SQLModelRegistry.migrated(sessions: sessions, clock: clock.wallClock, logger: logger)
                do {
                    try await body(registry)
                } catch {
                    await registry.shutdown()
                    throw error
                }
                await registry.shutdown()
            }
        }
    }

    /// A stored model moved to VALIDATING with its validation job "j1" queued.
    func validatingModel(in registry: any ModelRegistry) async throws -> ModelRecord {
        var model = newModel()
        try await registry.create(model)
        try model.beginValidation(dataset: nil, link: "file:///x", now: clock.now)
        return try await registry.save(model, enqueueing: TrainingJob(id: "j1", modelID: model.id, kind: .validate, now: clock.now))
    }

    func newModel(addresses: [String] = [], createdBy: String? = nil) -> ModelRecord {
        ModelRecord(id: ModelIdentifier.generate(), method: method, name: "m", addressList: addresses, createdBy: createdBy, now: clock.now)
    }

    @Test("a model round-trips every field", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            var model = ModelRecord(
                id: ModelIdentifier.generate(), method: method, name: "m", description: "déjà vu ✓",
                addressList: ["0xAA"], isPublic: true, organizationID: "org", serviceID: "svc", groupID: "grp",
                createdBy: "0xBB", now: clock.now
            )
            try await registry.create(model)
            #expect(try await registry.model(id: model.id) == model)
            let dataset = DatasetReference(path: "models/x/datasets/a.zip", originalName: "a.zip", byteCount: 1 << 40, sha256: "ab")
            try model.beginValidation(dataset: dataset, link: nil, now: clock.now)
            model = try await registry.save(model, enqueueing: nil)
            let read = try #require(try await registry.model(id: model.id))
            #expect(read == model)
            #expect(read.dataset == dataset && read.statusDetail == "Validation queued." && read.version == 1)
            #expect(try await registry.model(id: "nope") == nil)
        }
    }

    @Test("a trainer's report round-trips as structure, on the model and in its history; a later detail clears it", arguments: Backend.allCases)
    func reportRoundTrip(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            var model = try await validatingModel(in: registry)
            _ = try #require(try await registry.claimJob(worker: "w", leaseExpiresAt: clock.now + 30))
            let report = TrainingReport(
                "Trained on 3 words, 30 clips: déjà (10), vu (10), ✓ (10).",
                figures: [.init("Accuracy", number: 0.967, shown: "96.7% (29/30)"), .init("Most confused", text: "vu heard as ✓ (1)")],
                confusion: ConfusionMatrix(labels: ["déjà", "vu", "✓"], counts: [[10, 0, 0], [0, 9, 1], [0, 0, 10]])
            )
            try model.finishValidation(
                dataset: DatasetReference(path: "d", originalName: "d.zip", byteCount: 1, sha256: ""), datasetDirectory: "x", report: report,
                now: clock.now
            )
            #expect(try await registry.finishJob(jobID: "j1", worker: "w", state: .succeeded, model: model))
            let read = try #require(try await registry.model(id: model.id))
            #expect(read.report == report)
            #expect(read.statusDetail == "Trained on 3 words, 30 clips: déjà (10), vu (10), ✓ (10).\nAccuracy: 96.7% (29/30)\nMost confused: vu heard as ✓ (1)")
            if let browsing = registry as? any ModelRegistryBrowsing {
                #expect(try await browsing.statusHistory(modelID: model.id).last?.report == report)
            }

            var next = read
            try next.beginTraining(now: clock.now)
            next = try await registry.save(next, enqueueing: nil)
            #expect(try await registry.model(id: model.id)?.report == nil, "TRAINING has no report; its detail is not one")
            if let browsing = registry as? any ModelRegistryBrowsing {
                #expect(try await browsing.statusHistory(modelID: model.id).map(\.report) == [nil, nil, report, nil])
            }
        }
    }

    @Test("saves are compare-and-set on version: a stale write is ABORTED and changes nothing", arguments: Backend.allCases)
    func compareAndSet(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            let model = newModel()
            try await registry.create(model)
            var first = model
            try first.beginValidation(dataset: nil, link: "https://example.com/first.zip", now: clock.now)
            let saved = try await registry.save(first, enqueueing: nil)
            #expect(saved.version == model.version + 1)
            var stale = model
            try stale.beginValidation(dataset: nil, link: "https://example.com/stale.zip", now: clock.now)
            let error = await #expect(throws: TrainingError.self) { try await registry.save(stale, enqueueing: nil) }
            #expect(error?.code == .aborted)
            let stored = try await registry.model(id: model.id)
            #expect(stored?.trainingDataLink == "https://example.com/first.zip" && stored?.version == saved.version)
        }
    }

    @Test("a job is finished only by its holder, and only with the model it read", arguments: Backend.allCases)
    func finishing(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            let model = try await validatingModel(in: registry)
            _ = try #require(try await registry.claimJob(worker: "a", leaseExpiresAt: clock.now + 30))
            var done = model
            try done.fail(reason: "bad", now: clock.now)
            #expect(try await registry.finishJob(jobID: "j1", worker: "b", state: .failed, model: done) == false)
            // Another writer moved the model since it was read: nothing is written, job included.
            var progressed = model
            try progressed.report(progress: "half way", now: clock.now)
            try await registry.save(progressed, enqueueing: nil)
            #expect(try await registry.finishJob(jobID: "j1", worker: "a", state: .failed, model: done) == false)
            #expect(try await registry.job(id: "j1")?.state == .running)
            #expect(try await registry.model(id: model.id)?.status == .validating)
            var fresh = try #require(try await registry.model(id: model.id))
            try fresh.fail(reason: "bad", now: clock.now)
            #expect(try await registry.finishJob(jobID: "j1", worker: "a", state: .failed, model: fresh) == true)
            #expect(try await registry.job(id: "j1")?.state == .failed)
            #expect(try await registry.model(id: model.id)?.status == .errored)
            #expect(try await registry.finishJob(jobID: "j1", worker: "a", state: .succeeded, model: fresh) == false)
        }
    }

    @Test("a queued job is claimed once, and a new job cancels the old one", arguments: Backend.allCases)
    func claiming(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            var model = try await validatingModel(in: registry)
            #expect(try await registry.pendingJobCount() == 1)
            let claimed = try #require(try await registry.claimJob(worker: "a", leaseExpiresAt: clock.now + 30))
            #expect(claimed.id == "j1" && claimed.attempts == 1 && claimed.state == .running)
            #expect(try await registry.claimJob(worker: "b", leaseExpiresAt: clock.now + 30) == nil)

            model.markDeleted(now: clock.now)
            model = try await registry.save(model, enqueueing: nil)
            #expect(try await registry.job(id: "j1")?.state == .cancelled)
            #expect(try await registry.renewLease(jobID: "j1", worker: "a", leaseExpiresAt: clock.now + 60) == false)
            #expect(try await registry.finishJob(jobID: "j1", worker: "a", state: .succeeded, model: model) == false)
        }
    }

    @Test("an expired lease is re-queued; too many attempts end the model ERRORED", arguments: Backend.allCases)
    func recovery(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            let model = try await validatingModel(in: registry)
            for attempt in 1...2 {
                let job = try #require(try await registry.claimJob(worker: "dead-\(attempt)", leaseExpiresAt: clock.now + 30))
                #expect(job.attempts == attempt)
                #expect(try await registry.recoverJobs(now: clock.now, maxAttempts: 2, orphanedBy: nil).isEmpty, "lease still valid")
                clock.advance(31)
                #expect(try await registry.recoverJobs(now: clock.now, maxAttempts: 2, orphanedBy: nil) == ["j1"])
            }
            #expect(try await registry.job(id: "j1")?.state == .failed)
            let ended = try #require(try await registry.model(id: model.id))
            #expect(ended.status == .errored)
            #expect(ended.statusDetail?.contains("interrupted") == true)
        }
    }

    @Test("at start-up a node re-queues its own running jobs at once", arguments: Backend.allCases)
    func orphanedByThisNode(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            let model = try await validatingModel(in: registry)
            _ = try await registry.claimJob(worker: "node-1", leaseExpiresAt: clock.now + 30)
            #expect(try await registry.recoverJobs(now: clock.now, maxAttempts: 3, orphanedBy: "node-2").isEmpty)
            #expect(try await registry.recoverJobs(now: clock.now, maxAttempts: 3, orphanedBy: "node-1") == ["j1"])
            #expect(try await registry.job(id: "j1")?.state == .queued)
            #expect(try await registry.model(id: model.id)?.status == .validating)
        }
    }

    @Test("a graceful shutdown hands its running jobs back, with the claim uncounted", arguments: Backend.allCases)
    func release(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            _ = try await validatingModel(in: registry)
            #expect(try await registry.claimJob(worker: "a", leaseExpiresAt: clock.now + 30)?.attempts == 1)
            #expect(try await registry.releaseJobs(worker: "b").isEmpty)
            #expect(try await registry.releaseJobs(worker: "a") == ["j1"])
            let job = try #require(try await registry.job(id: "j1"))
            #expect(job.state == .queued && job.attempts == 0 && job.worker == nil)
            #expect(try await registry.claimJob(worker: "b", leaseExpiresAt: clock.now + 30)?.attempts == 1)
        }
    }

    @Test("live models are counted per method and address, case-insensitively", arguments: Backend.allCases)
    func counting(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            try await registry.create(newModel(addresses: ["0xAbC"]))
            try await registry.create(newModel(addresses: ["0xabc", "0xdef"]))
            try await registry.create(newModel(createdBy: "0xABC"))
            var deleted = newModel(addresses: ["0xabc"])
            try await registry.create(deleted)
            deleted.markDeleted(now: clock.now)
            try await registry.save(deleted, enqueueing: nil)
            #expect(try await registry.liveModelCount(method: method, address: "0xABC") == 3)
            #expect(try await registry.liveModelCount(method: method, address: "0xdef") == 1)
            #expect(try await registry.liveModelCount(method: MethodName(service: "s", method: "m"), address: "0xabc") == 0)
            #expect(try await registry.liveModelCount() == 3)
        }
    }

    @Test("DELETED models past the retention are purged with their jobs; others stay", arguments: Backend.allCases)
    func purging(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            var old = newModel()
            try await registry.create(old)
            try old.beginValidation(dataset: nil, link: "file:///x", now: clock.now)
            old = try await registry.save(old, enqueueing: TrainingJob(id: "j-old", modelID: old.id, kind: .validate, now: clock.now))
            old.markDeleted(now: clock.now)
            try await registry.save(old, enqueueing: nil)
            let live = newModel()
            try await registry.create(live)
            clock.advance(100)
            var recent = newModel()
            try await registry.create(recent)
            recent.markDeleted(now: clock.now)
            try await registry.save(recent, enqueueing: nil)

            #expect(try await registry.purgeDeleted(updatedBefore: clock.now - 50) == 1)
            #expect(try await registry.model(id: old.id) == nil)
            #expect(try await registry.job(id: "j-old") == nil)
            #expect(try await registry.model(id: recent.id)?.status == .deleted)
            #expect(try await registry.model(id: live.id)?.status == .created)
            #expect(try await registry.purgeDeleted(updatedBefore: clock.now - 50) == 0)
        }
    }

    @Test("browsing for the dashboard: counts, recent models, a model's jobs and its status history", arguments: Backend.allCases)
    func browsing(backend: Backend) async throws {
        try await withRegistry(backend) { registry in
            let browsing = try #require(registry as? any ModelRegistryBrowsing, "every registry is browsable")
            let idle = newModel()
            try await registry.create(idle)
            clock.advance(1)
            var model = try await validatingModel(in: registry)
            clock.advance(1)
            try model.report(progress: "Checking the archive.", now: clock.now)
            model = try await registry.save(model, enqueueing: nil)
            clock.advance(1)
            _ = try #require(try await registry.claimJob(worker: "w", leaseExpiresAt: clock.now + 30))
            try model.finishValidation(
                dataset: DatasetReference(path: "d", originalName: "d.zip", byteCount: 1, sha256: ""), datasetDirectory: "x", report: "fine",
                now: clock.now
            )
            #expect(try await registry.finishJob(jobID: "j1", worker: "w", state: .succeeded, model: model))

            let counts = Set(try await browsing.modelCounts())
            #expect(counts == [ModelCount(method: method, status: .created, count: 1), ModelCount(method: method, status: .validated, count: 1)])
            #expect(try await browsing.jobCounts() == [JobCount(kind: .validate, state: .succeeded, count: 1)])
            #expect(try await browsing.recentModels(limit: 5, status: nil).map(\.id) == [model.id, idle.id])
            #expect(try await browsing.recentModels(limit: 5, status: .created).map(\.id) == [idle.id])
            #expect(try await browsing.jobs(modelID: model.id).map(\.id) == ["j1"])
            let history = try await browsing.statusHistory(modelID: model.id)
            #expect(history.map(\.status) == [.created, .validating, .validated])
            #expect(history[1].detail == "Checking the archive.", "a progress save updates the detail, not the list")
            #expect(history.last?.detail == "fine")
        }
    }

    @Test("data survives reopening the file, and migrations run once")
    func reopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "r.sqlite").path(percentEncoded: false)
        let model = newModel()
        for round in 0..<2 {
            let sessions = try await SQLiteSessionProvider.open(path: path, logger: Logger(label: "t"))
            let registry = try await SQLModelRegistry.migrated(sessions: sessions, clock: clock.wallClock, logger: Logger(label: "t"))
            if round == 0 { try await registry.create(model) }
            #expect(try await registry.model(id: model.id) == model)
            await registry.shutdown()
        }
    }
}
