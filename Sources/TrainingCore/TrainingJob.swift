public import Foundation

/// A unit of background work on one model, persisted so that a crash or a restart loses nothing.
public struct TrainingJob: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case validate
        case train
    }

    public enum State: String, Sendable, Hashable, Codable {
        /// Waiting for a worker.
        case queued
        /// Claimed by `worker`, which holds a lease until `leaseExpiresAt`.
        case running
        case succeeded
        case failed
        /// The model was deleted or given new work.
        case cancelled
    }

    public var id: String
    public var modelID: String
    public var kind: Kind
    public var state: State
    /// How many times a worker has claimed the job; bounded so a job that crashes its worker
    /// cannot loop forever.
    public var attempts: Int
    public var worker: String?
    public var leaseExpiresAt: Date?
    public var createdAt: Date

    public init(id: String, modelID: String, kind: Kind, now: Date) {
        self.id = id
        self.modelID = modelID
        self.kind = kind
        self.state = .queued
        self.attempts = 0
        self.createdAt = now
    }
}
