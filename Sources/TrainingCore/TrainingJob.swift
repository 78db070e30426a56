public import Foundation

/// A unit of background work on one model, persisted so that a crash or a restart loses nothing.
///
/// Its state changes only through the throwing `mutating` moves in `TrainingJob+Transitions.swift`:
/// a registry loads a job, applies a move, and saves it if nobody moved it meanwhile.
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

        /// A finished job never runs again.
        public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    public let id: String
    public let modelID: String
    public let kind: Kind
    public let createdAt: Date
    public internal(set) var state: State
    /// How many times a worker has claimed the job; bounded so a job that crashes its worker
    /// cannot loop forever.
    public internal(set) var attempts: Int
    public internal(set) var worker: String?
    public internal(set) var leaseExpiresAt: Date?

    /// A new, queued job.
    public init(id: String, modelID: String, kind: Kind, now: Date) {
        self.id = id
        self.modelID = modelID
        self.kind = kind
        self.createdAt = now
        self.state = .queued
        self.attempts = 0
    }

    /// A job as a registry stored it; only storage rebuilds jobs this way.
    package init(
        id: String, modelID: String, kind: Kind, createdAt: Date, state: State, attempts: Int, worker: String?,
        leaseExpiresAt: Date?
    ) {
        self.id = id
        self.modelID = modelID
        self.kind = kind
        self.createdAt = createdAt
        self.state = state
        self.attempts = attempts
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
    }
}
