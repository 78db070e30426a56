public import Foundation
import SQLKit
public import TrainingCore

enum JobColumns {
    static let list: SQLQueryString = "id, model_id, kind, state, attempts, worker, lease_expires_at, created_at"
    static let select: SQLQueryString = "SELECT \(list) FROM jobs"
}

// The job queue over SQL. Every move but the claim loads the job, applies its Swift transition
// (TrainingJob+Transitions.swift) and stores the result only if the row is still as it was read;
// an illegal move or a lost race answers "not yours", never a write.
extension SQLModelRegistry {
    public func claimJob(worker: String, leaseExpiresAt: Date) async throws -> TrainingJob? {
        let now = self.now.timeIntervalSince1970
        return try await transaction { db in
            // The claim move (queued → running, one more attempt) in one statement, so two nodes
            // racing for the same row cannot both win: the loser's `state = 'queued'` check fails
            // once the winner commits.
            try await db.raw(
                """
                UPDATE jobs SET state = 'running', worker = \(bind: worker),
                    lease_expires_at = \(bind: leaseExpiresAt.timeIntervalSince1970),
                    attempts = attempts + 1, updated_at = \(bind: now)
                WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at, id LIMIT 1)
                  AND state = 'queued'
                RETURNING \(JobColumns.list)
                """
            ).first().map(TrainingJob.init(row:))
        }
    }

    public func renewLease(jobID: String, worker: String, leaseExpiresAt: Date) async throws -> Bool {
        try await move(jobID) { (job: inout TrainingJob) throws(IllegalJobTransition) in
            try job.renew(by: worker, leaseExpiresAt: leaseExpiresAt)
        }
    }

    public func finishJob(jobID: String, worker: String, state: TrainingJob.State, model: ModelRecord) async throws -> Bool {
        try await move(jobID) { (job: inout TrainingJob) throws(IllegalJobTransition) in
            try job.finish(state, by: worker)
        } alsoSaving: { db in
            try await Self.update(model, in: db) != nil
        }
    }

    public func releaseJobs(worker: String) async throws -> [String] {
        let now = self.now.timeIntervalSince1970
        return try await transaction { db in
            let held = try await db.raw(
                "\(JobColumns.select) WHERE worker = \(bind: worker) AND state = 'running'"
            ).all().map(TrainingJob.init(row:))
            var released: [String] = []
            for before in held {
                var job = before
                try job.requeue(countingAttempt: false)
                if try await Self.store(job, replacing: before, now: now, in: db) { released.append(job.id) }
            }
            return released
        }
    }

    public func recoverJobs(now: Date, maxAttempts: Int, orphanedBy worker: String?) async throws -> [String] {
        let nowSeconds = now.timeIntervalSince1970
        return try await transaction { db in
            let stranded = try await db.raw(
                """
                \(JobColumns.select)
                WHERE state = 'running' AND (lease_expires_at < \(bind: nowSeconds) OR worker = \(bind: worker ?? ""))
                """
            ).all().map(TrainingJob.init(row:))
            for before in stranded {
                var job = before
                try job.requeue(countingAttempt: true, maxAttempts: maxAttempts)
                _ = try await Self.store(job, replacing: before, now: nowSeconds, in: db)
            }
            // Any model still marked busy with no job left to finish it would poll as busy forever:
            // end it as ERRORED with a reason the consumer can act on.
            let orphans = try await db.raw(
                """
                \(ModelColumns.select)
                WHERE status IN ('VALIDATING', 'TRAINING') AND NOT EXISTS (
                    SELECT 1 FROM jobs WHERE jobs.model_id = models.id AND jobs.state IN ('queued', 'running'))
                """
            ).all().map(ModelRecord.init(row:))
            for var model in orphans {
                try model.failAfterInterruptions(maxAttempts: maxAttempts, now: now)
                _ = try await Self.update(model, in: db)
            }
            return stranded.map(\.id)
        }
    }

    /// Loads job `id`, applies `transition`, and stores the result with whatever `alsoSaving`
    /// writes, all in one transaction; false (nothing written) if the job is unknown, the move is
    /// illegal, the row changed meanwhile, or `alsoSaving` declines.
    private func move(
        _ id: String,
        _ transition: @escaping @Sendable (inout TrainingJob) throws(IllegalJobTransition) -> Void,
        alsoSaving: @escaping @Sendable (any SQLDatabase) async throws -> Bool = { _ in true }
    ) async throws -> Bool {
        let now = self.now.timeIntervalSince1970
        do {
            return try await transaction { db in
                guard let before = try await db.raw("\(JobColumns.select) WHERE id = \(bind: id)").first().map(TrainingJob.init(row:))
                else { return false }
                var job = before
                do { try transition(&job) } catch { return false }
                guard try await Self.store(job, replacing: before, now: now, in: db) else { return false }
                // Declining after the job was stored must undo that write too: roll back.
                guard try await alsoSaving(db) else { throw TransactionDeclined() }
                return true
            }
        } catch is TransactionDeclined {
            return false
        }
    }

    /// Compare-and-set of a job row: written only if its state and attempts are still `previous`'s
    /// (every claim bumps attempts and every other move changes the state, so nobody moved it).
    private static func store(_ job: TrainingJob, replacing previous: TrainingJob, now: Double, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            UPDATE jobs SET state = \(bind: job.state.rawValue), attempts = \(bind: Int64(job.attempts)),
                worker = \(bind: job.worker), lease_expires_at = \(bind: job.leaseExpiresAt?.timeIntervalSince1970),
                updated_at = \(bind: now)
            WHERE id = \(bind: job.id) AND state = \(bind: previous.state.rawValue) AND attempts = \(bind: Int64(previous.attempts))
            RETURNING id
            """
        ).first() != nil
    }
}
