public import Foundation
public import TrainingCore

/// A ``ModelRegistry`` over another that signals every write on ``changes``, so a test waits for a
/// model's next status instead of polling on a timer; `beforeFinishingJob` lets a test act just
/// before a job's result is saved (to stage a race with a heartbeat, say).
public final class ObservedModelRegistry: ModelRegistry {
    public let base: any ModelRegistry
    public let changes = ChangeSignal()
    private let beforeFinishingJob: @Sendable (ModelRecord) async throws -> Void

    public init(
        _ base: any ModelRegistry = InMemoryModelRegistry(),
        beforeFinishingJob: @escaping @Sendable (ModelRecord) async throws -> Void = { _ in }
    ) {
        self.base = base
        self.beforeFinishingJob = beforeFinishingJob
    }

    /// Runs a write and signals it, whether it succeeded or not.
    private func write<Value>(_ body: () async throws -> Value) async throws -> Value {
        defer { changes.changed() }
        return try await body()
    }

    public func create(_ model: ModelRecord) async throws { try await write { try await base.create(model) } }
    public func model(id: String) async throws -> ModelRecord? { try await base.model(id: id) }
    public func save(_ model: ModelRecord, enqueueing job: TrainingJob?) async throws -> ModelRecord {
        try await write { try await base.save(model, enqueueing: job) }
    }
    public func liveModelCount(method: MethodName, address: String) async throws -> Int {
        try await base.liveModelCount(method: method, address: address)
    }
    public func liveModelCount() async throws -> Int { try await base.liveModelCount() }
    public func purgeDeleted(updatedBefore cutoff: Date) async throws -> Int {
        try await write { try await base.purgeDeleted(updatedBefore: cutoff) }
    }
    public func pendingJobCount() async throws -> Int { try await base.pendingJobCount() }
    public func claimJob(worker: String, leaseExpiresAt: Date) async throws -> TrainingJob? {
        try await write { try await base.claimJob(worker: worker, leaseExpiresAt: leaseExpiresAt) }
    }
    public func renewLease(jobID: String, worker: String, leaseExpiresAt: Date) async throws -> Bool {
        try await base.renewLease(jobID: jobID, worker: worker, leaseExpiresAt: leaseExpiresAt)
    }
    public func finishJob(jobID: String, worker: String, state: TrainingJob.State, model: ModelRecord) async throws -> Bool {
        try await beforeFinishingJob(model)
        return try await write { try await base.finishJob(jobID: jobID, worker: worker, state: state, model: model) }
    }
    public func recoverJobs(now: Date, maxAttempts: Int, orphanedBy worker: String?) async throws -> [String] {
        try await write { try await base.recoverJobs(now: now, maxAttempts: maxAttempts, orphanedBy: worker) }
    }
    public func releaseJobs(worker: String) async throws -> [String] { try await write { try await base.releaseJobs(worker: worker) } }
    public func job(id: String) async throws -> TrainingJob? { try await base.job(id: id) }
}
