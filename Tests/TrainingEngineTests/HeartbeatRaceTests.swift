import Foundation
import Synchronization
import Testing
import TrainingCore
import TrainingEngine
import TrainingTesting

/// A registry that lands a heartbeat's progress write between the job reading the model and the
/// job saving its result, the first time a job finishes: the interleaving that used to lose
/// results (the job's compare-and-set failed, the job was treated as cancelled and ran again).
final class HeartbeatInterleavingRegistry: ModelRegistry {
    let base = InMemoryModelRegistry()
    let interleaved = Mutex(0)
    let finishCalls = Mutex(0)

    func finishJob(jobID: String, worker: String, state: TrainingJob.State, model: ModelRecord) async throws -> Bool {
        finishCalls.withLock { $0 += 1 }
        if interleaved.withLock({ $0 }) == 0, var stored = try await base.model(id: model.id), stored.status.isBusy {
            try stored.report(progress: "Training: 99% done.", now: Date())
            try await base.save(stored, enqueueing: nil)
            interleaved.withLock { $0 += 1 }
        }
        return try await base.finishJob(jobID: jobID, worker: worker, state: state, model: model)
    }

    func create(_ model: ModelRecord) async throws { try await base.create(model) }
    func model(id: String) async throws -> ModelRecord? { try await base.model(id: id) }
    func save(_ model: ModelRecord, enqueueing job: TrainingJob?) async throws -> ModelRecord {
        try await base.save(model, enqueueing: job)
    }
    func liveModelCount(method: MethodName, address: String) async throws -> Int {
        try await base.liveModelCount(method: method, address: address)
    }
    func liveModelCount() async throws -> Int { try await base.liveModelCount() }
    func purgeDeleted(updatedBefore cutoff: Date) async throws -> Int { try await base.purgeDeleted(updatedBefore: cutoff) }
    func pendingJobCount() async throws -> Int { try await base.pendingJobCount() }
    func claimJob(worker: String, leaseExpiresAt: Date) async throws -> TrainingJob? {
        try await base.claimJob(worker: worker, leaseExpiresAt: leaseExpiresAt)
    }
    func renewLease(jobID: String, worker: String, leaseExpiresAt: Date) async throws -> Bool {
        try await base.renewLease(jobID: jobID, worker: worker, leaseExpiresAt: leaseExpiresAt)
    }
    func recoverJobs(now: Date, maxAttempts: Int, orphanedBy worker: String?) async throws -> [String] {
        try await base.recoverJobs(now: now, maxAttempts: maxAttempts, orphanedBy: worker)
    }
    func releaseJobs(worker: String) async throws -> [String] { try await base.releaseJobs(worker: worker) }
    func job(id: String) async throws -> TrainingJob? { try await base.job(id: id) }
}

@Suite("Heartbeat and result")
struct HeartbeatRaceTests {
    @Test("a progress write landing just before the result is saved never loses the result or reruns the job")
    func progressBeforeResult() async throws {
        let registry = HeartbeatInterleavingRegistry()
        let events = TrainerEvents()
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(events: events), registry: registry)
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let id = try await engine.createModel()
        _ = try await engine.upload(archive, to: id)
        let validated = try await engine.wait(id, until: [.validated, .errored])
        #expect(validated.status == .validated)
        #expect(registry.interleaved.withLock { $0 } == 1, "the heartbeat write landed between read and save")

        _ = try await engine.workflow.train(id)
        let ready = try await engine.wait(id, until: [.readyToUse, .errored])
        #expect(ready.status == .readyToUse, "\(ready.statusDetail ?? "")")
        #expect(events.all.filter { $0 == .started }.count == 1, "training ran exactly once")
        #expect(try await registry.pendingJobCount() == 0)
        #expect(registry.finishCalls.withLock { $0 } >= 3, "the lost compare-and-set was retried")
    }
}
