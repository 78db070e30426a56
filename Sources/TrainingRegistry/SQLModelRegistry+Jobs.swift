public import Foundation
import SQLKit
public import TrainingCore

enum JobColumns {
    static let list: SQLQueryString = "id, model_id, kind, state, attempts, worker, lease_expires_at, created_at"
    static let select: SQLQueryString = "SELECT \(list) FROM jobs"
}

extension SQLModelRegistry {
    public func claimJob(worker: String, leaseExpiresAt: Date) async throws -> TrainingJob? {
        let now = self.now.timeIntervalSince1970
        return try await transaction { db in
            // One statement, so two nodes racing for the same row cannot both win: the loser's
            // `state = 'queued'` check fails once the winner commits.
            try await db.raw("""
                UPDATE jobs SET state = 'running', worker = \(bind: worker),
                    lease_expires_at = \(bind: leaseExpiresAt.timeIntervalSince1970),
                    attempts = attempts + 1, updated_at = \(bind: now)
                WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at, id LIMIT 1)
                  AND state = 'queued'
                RETURNING \(JobColumns.list)
                """).first().map(TrainingJob.init(row:))
        }
    }

    public func renewLease(jobID: String, worker: String, leaseExpiresAt: Date) async throws -> Bool {
        let now = self.now.timeIntervalSince1970
        return try await transaction { db in
            try await db.raw("""
                UPDATE jobs SET lease_expires_at = \(bind: leaseExpiresAt.timeIntervalSince1970), updated_at = \(bind: now)
                WHERE id = \(bind: jobID) AND worker = \(bind: worker) AND state = 'running'
                RETURNING id
                """).first() != nil
        }
    }

    public func finishJob(jobID: String, worker: String, state: TrainingJob.State, model: ModelRecord) async throws -> Bool {
        let now = self.now.timeIntervalSince1970
        return try await transaction { db in
            let held = try await db.raw("""
                SELECT id FROM jobs WHERE id = \(bind: jobID) AND worker = \(bind: worker) AND state = 'running'
                """).first()
            guard held != nil, try await Self.update(model, in: db) != nil else { return false }
            try await db.raw("""
                UPDATE jobs SET state = \(bind: state.rawValue), lease_expires_at = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: jobID)
                """).run()
            return true
        }
    }

    public func releaseJobs(worker: String) async throws -> [String] {
        let now = self.now.timeIntervalSince1970
        return try await transaction { db in
            try await db.raw("""
                UPDATE jobs SET state = 'queued', worker = NULL, lease_expires_at = NULL,
                    attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = \(bind: now)
                WHERE worker = \(bind: worker) AND state = 'running'
                RETURNING id
                """).all().map { try $0.decode(column: "id", as: String.self) }
        }
    }

    public func recoverJobs(now: Date, maxAttempts: Int, orphanedBy worker: String?) async throws -> [String] {
        let nowSeconds = now.timeIntervalSince1970
        return try await transaction { db in
            let stranded = try await db.raw("""
                \(JobColumns.select)
                WHERE state = 'running' AND (lease_expires_at < \(bind: nowSeconds) OR worker = \(bind: worker ?? ""))
                """).all().map(TrainingJob.init(row:))
            for job in stranded {
                if job.attempts < maxAttempts {
                    try await db.raw("""
                        UPDATE jobs SET state = 'queued', worker = NULL, lease_expires_at = NULL, updated_at = \(bind: nowSeconds)
                        WHERE id = \(bind: job.id)
                        """).run()
                } else {
                    try await db.raw(
                        "UPDATE jobs SET state = 'failed', updated_at = \(bind: nowSeconds) WHERE id = \(bind: job.id)"
                    ).run()
                }
            }
            // Any model still marked busy with no job left to finish it would poll as busy forever:
            // end it as ERRORED with a reason the consumer can act on.
            let orphans = try await db.raw("""
                \(ModelColumns.select)
                WHERE status IN ('VALIDATING', 'TRAINING') AND NOT EXISTS (
                    SELECT 1 FROM jobs WHERE jobs.model_id = models.id AND jobs.state IN ('queued', 'running'))
                """).all().map(ModelRecord.init(row:))
            for var model in orphans {
                let work = model.status == .validating ? "Validation" : "Training"
                try model.fail(
                    reason: "\(work) was interrupted \(maxAttempts) times by a server failure and was stopped. "
                        + "Start it again (upload_and_validate or train_model); if it keeps failing, contact the service provider.",
                    now: now
                )
                _ = try await Self.update(model, in: db)
            }
            return stranded.map(\.id)
        }
    }
}
