public import Foundation
import Synchronization

/// A ``ModelRegistry`` in memory: the twin of the SQL registry for tests and for embeddings that
/// need no durability, browsable like it (``ModelRegistryBrowsing``, for the dashboard). It passes the same contract suite as SQLite and PostgreSQL; every job move
/// is the ``TrainingJob`` transition itself, under one lock, so each call is one transaction.
public final class InMemoryModelRegistry: ModelRegistry {
    private struct Store {
        var models: [String: ModelRecord] = [:]
        var jobs: [String: TrainingJob] = [:]
        var history: [String: [ModelStatusEvent]] = [:]

        /// Stores `model` and its status in its history, as the SQL registry does: a new status is
        /// appended, the same status again only updates the last entry's detail.
        mutating func put(_ model: ModelRecord) {
            models[model.id] = model
            var events = history[model.id] ?? []
            if let last = events.last, last.status == model.status {
                events[events.count - 1].detail = model.statusDetail
                events[events.count - 1].report = model.report
            } else {
                events.append(ModelStatusEvent(status: model.status, at: model.updatedAt, detail: model.statusDetail, report: model.report))
            }
            history[model.id] = events
        }
    }

    private let store = Mutex(Store())

    public init() {}

    public func create(_ model: ModelRecord) async throws {
        try store.withLock { store in
            guard store.models[model.id] == nil else {
                throw TrainingError.internalError("A model with id '\(model.id)' already exists.")
            }
            store.put(model)
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
            store.put(saved)
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
            for id in purged {
                store.models[id] = nil
                store.history[id] = nil
            }
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
            store.put(model.saved(asVersion: model.version + 1))
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
                store.put(model.saved(asVersion: model.version + 1))
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

extension InMemoryModelRegistry: ModelRegistryBrowsing {
    public func modelCounts() async throws -> [ModelCount] {
        store.withLock { store in
            Dictionary(grouping: store.models.values) { MethodStatus(method: $0.method, status: $0.status) }
                .map { ModelCount(method: $0.key.method, status: $0.key.status, count: $0.value.count) }
        }
    }

    public func jobCounts() async throws -> [JobCount] {
        store.withLock { store in
            Dictionary(grouping: store.jobs.values) { KindState(kind: $0.kind, state: $0.state) }
                .map { JobCount(kind: $0.key.kind, state: $0.key.state, count: $0.value.count) }
        }
    }

    public func recentModels(limit: Int, status: ModelStatus?) async throws -> [ModelRecord] {
        store.withLock { store in
            Array(
                store.models.values.filter { status == nil || $0.status == status }
                    .sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
                    .prefix(max(0, limit))
            )
        }
    }

    public func jobs(modelID: String) async throws -> [TrainingJob] {
        store.withLock { store in
            store.jobs.values.filter { $0.modelID == modelID }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    public func statusHistory(modelID: String) async throws -> [ModelStatusEvent] {
        store.withLock { $0.history[modelID] ?? [] }
    }

    private struct MethodStatus: Hashable {
        var method: MethodName
        var status: ModelStatus
    }

    private struct KindState: Hashable {
        var kind: TrainingJob.Kind
        var state: TrainingJob.State
    }
}
