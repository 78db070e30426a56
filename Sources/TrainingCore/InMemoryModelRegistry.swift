public import Foundation
import Synchronization

/// A ``ModelRegistry`` in memory: the twin of the SQL registry for tests and for embeddings that
/// need no durability. It passes the same contract suite as SQLite and PostgreSQL; every job move
/// is the ``TrainingJob`` transition itself, under one lock, so each call is one transaction.
public final class InMemoryModelRegistry: ModelRegistry {
    private struct Store {
        var models: [String: ModelRecord] = [:]
        var jobs: [String: TrainingJob] = [:]
    }

    private let store = Mutex(Store())

    public init() {}

    public func create(_ model: ModelRecord) async throws {
        try store.withLock { store in
            guard store.models[model.id] == nil else {
                throw TrainingError.internalError("A model with id '\(model.id)' already exists.")
            }
            store.models[model.id] = model
        }
    }

    public func model(id: String) async throws -> ModelRecord? {
        store.withLock { $0.models[id] }
    }

    @discardableResult
    public func save(_ model: ModelRecord, enqueueing job: TrainingJob?) async throws -> ModelRecord {
        try store.withLock { store in
            guard let stored = store.models[model.id], stored.version == model.version else {
                throw TrainingError(
                    code: .aborted,
                    message: "Model '\(model.id)' was changed by another request at the same time; retry the call."
                )
            }
            if job != nil || model.status == .deleted {
                for (id, var pending) in store.jobs where pending.modelID == model.id && !pending.state.isFinished {
                    try? pending.cancel()
                    store.jobs[id] = pending
                }
            }
            if let job { store.jobs[job.id] = job }
            let saved = model.saved(asVersion: model.version + 1)
            store.models[model.id] = saved
            return saved
        }
    }

    public func liveModelCount(method: MethodName, address: String) async throws -> Int {
        let address = address.lowercased()
        return store.withLock { store in
            store.models.values.filter {
                $0.status != .deleted && $0.method == method && $0.quotaAddresses.contains(address)
            }.count
        }
    }

    public func liveModelCount() async throws -> Int {
        store.withLock { $0.models.values.filter { $0.status != .deleted }.count }
    }

    public func purgeDeleted(updatedBefore cutoff: Date) async throws -> Int {
        store.withLock { store in
            let purged = store.models.values.filter { $0.status == .deleted && $0.updatedAt < cutoff }.map(\.id)
            for id in purged { store.models[id] = nil }
            store.jobs = store.jobs.filter { !purged.contains($0.value.modelID) }
            return purged.count
        }
    }

    public func pendingJobCount() async throws -> Int {
        store.withLock { $0.jobs.values.filter { $0.state == .queued || $0.state == .running }.count }
    }

    public func claimJob(worker: String, leaseExpiresAt: Date) async throws -> TrainingJob? {
        store.withLock { store in
            let oldest = store.jobs.values.filter { $0.state == .queued }
                .min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            guard var job = oldest else { return nil }
            try? job.claim(by: worker, leaseExpiresAt: leaseExpiresAt)
            store.jobs[job.id] = job
            return job
        }
    }

    public func renewLease(jobID: String, worker: String, leaseExpiresAt: Date) async throws -> Bool {
        store.withLock { store in
            guard var job = store.jobs[jobID], (try? job.renew(by: worker, leaseExpiresAt: leaseExpiresAt)) != nil
            else { return false }
            store.jobs[jobID] = job
            return true
        }
    }

    public func finishJob(jobID: String, worker: String, state: TrainingJob.State, model: ModelRecord) async throws -> Bool {
        store.withLock { store in
            guard var job = store.jobs[jobID], (try? job.finish(state, by: worker)) != nil,
                store.models[model.id]?.version == model.version
            else { return false }
            store.jobs[jobID] = job
            store.models[model.id] = model.saved(asVersion: model.version + 1)
            return true
        }
    }

    public func recoverJobs(now: Date, maxAttempts: Int, orphanedBy worker: String?) async throws -> [String] {
        store.withLock { store in
            let stranded = store.jobs.values.filter { $0.leaseExpired(at: now) || (worker != nil && $0.isHeld(by: worker!)) }
            for var job in stranded {
                try? job.requeue(countingAttempt: true, maxAttempts: maxAttempts)
                store.jobs[job.id] = job
            }
            let busy = Set(store.jobs.values.filter { $0.state == .queued || $0.state == .running }.map(\.modelID))
            for var model in store.models.values where model.status.isBusy && !busy.contains(model.id) {
                guard (try? model.failAfterInterruptions(maxAttempts: maxAttempts, now: now)) != nil else { continue }
                store.models[model.id] = model.saved(asVersion: model.version + 1)
            }
            return stranded.map(\.id)
        }
    }

    public func releaseJobs(worker: String) async throws -> [String] {
        store.withLock { store in
            let held = store.jobs.values.filter { $0.isHeld(by: worker) }
            for var job in held {
                try? job.requeue(countingAttempt: false)
                store.jobs[job.id] = job
            }
            return held.map(\.id)
        }
    }

    public func job(id: String) async throws -> TrainingJob? {
        store.withLock { $0.jobs[id] }
    }
}
