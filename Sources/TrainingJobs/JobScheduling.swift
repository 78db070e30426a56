public import TrainingCore

/// Where the workflow hands its work: one call saves a model's new state and queues, or cancels,
/// the model's background work. ``JobRunner`` is the implementation; the workflow sees only this.
public protocol JobScheduling: Sendable {
    /// Saves `model` (compare-and-set on its version) and, in the same transaction, cancels the
    /// model's unfinished jobs and queues a new job of `kind` if one is given. A job of the model
    /// running on this node is stopped at once; other nodes stop theirs at their next heartbeat.
    /// Returns the saved record.
    @discardableResult
    func commit(_ model: ModelRecord, queueing kind: TrainingJob.Kind?) async throws -> ModelRecord
}
