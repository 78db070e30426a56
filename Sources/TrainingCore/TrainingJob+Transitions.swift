public import Foundation

/// A move the job's state does not allow; registries answer it as "not yours any more".
public struct IllegalJobTransition: Error, Sendable, CustomStringConvertible {
    public let jobID: String
    public let from: TrainingJob.State
    public let move: String
    public var description: String { "job \(jobID) cannot \(move) while \(from.rawValue)" }
}

// The job's legal moves: queued → running (claim) → succeeded | failed | cancelled (finish), with
// running → queued when its worker stops (recovery, counted; release at shutdown, uncounted) and
// queued | running → cancelled when the model is given new work or deleted.
extension TrainingJob {
    /// A worker takes the job until `leaseExpiresAt`; the claim counts as an attempt.
    public mutating func claim(by worker: String, leaseExpiresAt: Date) throws(IllegalJobTransition) {
        try require(state == .queued, "be claimed")
        state = .running
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        attempts += 1
    }

    /// The holder extends its lease.
    public mutating func renew(by worker: String, leaseExpiresAt: Date) throws(IllegalJobTransition) {
        try require(isHeld(by: worker), "have its lease renewed by \(worker)")
        self.leaseExpiresAt = leaseExpiresAt
    }

    /// The holder ends the job with `outcome` (succeeded, failed or cancelled).
    public mutating func finish(_ outcome: State, by worker: String) throws(IllegalJobTransition) {
        try require(isHeld(by: worker) && outcome.isFinished, "finish as \(outcome.rawValue) by \(worker)")
        state = outcome
        leaseExpiresAt = nil
    }

    /// The model no longer needs the job (deleted, or given new work).
    public mutating func cancel() throws(IllegalJobTransition) {
        try require(!state.isFinished, "be cancelled")
        state = .cancelled
        leaseExpiresAt = nil
    }

    /// The job's worker stopped without finishing it. Recovery after a crash counts the attempt,
    /// and fails the job once `maxAttempts` claims were used; a graceful shutdown hands it back
    /// uncounted (`countingAttempt: false`).
    public mutating func requeue(countingAttempt: Bool, maxAttempts: Int = .max) throws(IllegalJobTransition) {
        try require(state == .running, "be re-queued")
        leaseExpiresAt = nil
        if countingAttempt && attempts >= maxAttempts {
            state = .failed
            return
        }
        if !countingAttempt { attempts = max(0, attempts - 1) }
        worker = nil
        state = .queued
    }

    /// Whether `worker` holds the job now.
    public func isHeld(by worker: String) -> Bool {
        state == .running && self.worker == worker
    }

    /// Whether the job's worker has stopped renewing its lease by `now`.
    public func leaseExpired(at now: Date) -> Bool {
        state == .running && (leaseExpiresAt.map { $0 < now } ?? false)
    }

    private func require(_ condition: Bool, _ move: String) throws(IllegalJobTransition) {
        guard condition else { throw IllegalJobTransition(jobID: id, from: state, move: move) }
    }
}
