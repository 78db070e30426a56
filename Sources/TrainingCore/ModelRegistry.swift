public import Foundation

/// Durable storage for models: the one place every node of a deployment agrees on. Every
/// requirement throws ``TrainingError`` (storage faults as ``TrainingError/Code/internalError``).
///
/// Writes are compare-and-set on ``ModelRecord/version``: ``save(_:enqueueing:)`` fails with
/// ``TrainingError/Code/aborted`` if the stored record changed since it was read, so two nodes (or
/// two calls) cannot both move a model. A registry is also the model's ``JobQueue``, since a status
/// change and the job that carries it out are saved in one transaction.
///
/// Implementations: `SQLModelRegistry` (SQLite, PostgreSQL) and ``InMemoryModelRegistry``; one
/// contract suite runs over all three.
public protocol ModelRegistry: JobQueue {
    /// Stores a new model. The id must be new.
    func create(_ model: ModelRecord) async throws

    /// One indexed lookup by id; nil if there is no such model.
    func model(id: String) async throws -> ModelRecord?

    /// Saves `model` if the stored version is `model.version`, bumping it, and in the same
    /// transaction cancels the model's unfinished jobs and queues `job` if given. Returns the saved record.
    @discardableResult
    func save(_ model: ModelRecord, enqueueing job: TrainingJob?) async throws -> ModelRecord

    /// Models of `method` not DELETED whose address list or creator contains `address`
    /// (compared case-insensitively).
    func liveModelCount(method: MethodName, address: String) async throws -> Int

    /// Models not DELETED, across all methods.
    func liveModelCount() async throws -> Int

    /// Removes the records of models DELETED before `cutoff` (last updated before it), with their
    /// jobs; afterwards their ids are unknown. Returns how many were removed.
    func purgeDeleted(updatedBefore cutoff: Date) async throws -> Int
}

/// The persisted queue of validation and training jobs. Jobs are claimed under a lease; a node
/// that dies stops renewing, and ``recoverJobs(now:maxAttempts:orphanedBy:)`` on any node hands the
/// job on. Every move is a ``TrainingJob`` transition, stored only if nobody moved the job meanwhile.
public protocol JobQueue: Sendable {
    /// Jobs queued or running.
    func pendingJobCount() async throws -> Int

    /// Claims the oldest queued job for `worker` until `leaseExpiresAt`; nil when none is queued.
    func claimJob(worker: String, leaseExpiresAt: Date) async throws -> TrainingJob?

    /// Extends the lease; false if the job is no longer running for `worker` (cancelled or taken over).
    func renewLease(jobID: String, worker: String, leaseExpiresAt: Date) async throws -> Bool

    /// Ends a job held by `worker`, saving the model in the same transaction. Returns false, and
    /// writes nothing, if the job is no longer running for `worker` or the model changed since read.
    func finishJob(
        jobID: String,
        worker: String,
        state: TrainingJob.State,
        model: ModelRecord
    ) async throws -> Bool

    /// Re-queues running jobs whose lease expired (their worker died) or whose worker is `worker`
    /// (this node's previous run, at start-up); a job already claimed `maxAttempts` times fails
    /// instead. Any model left VALIDATING or TRAINING with no job to finish it goes ERRORED with a
    /// reason. Returns the ids of the jobs it touched.
    func recoverJobs(now: Date, maxAttempts: Int, orphanedBy worker: String?) async throws -> [String]

    /// Hands back the jobs `worker` still holds, uncounted: they return to the queue with the claim
    /// that a graceful shutdown interrupted taken back, so a routine restart does not use up an
    /// attempt. Returns the ids of the jobs released.
    func releaseJobs(worker: String) async throws -> [String]

    /// The job's current state, nil if unknown.
    func job(id: String) async throws -> TrainingJob?
}
