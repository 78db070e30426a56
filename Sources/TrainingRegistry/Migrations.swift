import Foundation
import SQLKit

/// Versioned schema changes, applied in order, each once, inside a transaction. The SQL is the
/// common subset of SQLite and PostgreSQL: TEXT, BIGINT, DOUBLE PRECISION (Unix seconds), no
/// dialect-specific types, so both backends run the same statements.
///
/// Append a new migration to change the schema; never edit one that has shipped.
enum Migrations {
    static let all: [(version: Int, statements: [SQLQueryString])] = [
        (
            1,
            [
                """
                CREATE TABLE models (
                    id TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    grpc_service TEXT NOT NULL,
                    grpc_method TEXT NOT NULL,
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    address_list TEXT NOT NULL,
                    is_public BIGINT NOT NULL,
                    organization_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    group_id TEXT NOT NULL,
                    created_by TEXT,
                    created_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL,
                    dataset_path TEXT,
                    dataset_name TEXT,
                    dataset_bytes BIGINT,
                    dataset_sha256 TEXT,
                    training_data_link TEXT,
                    dataset_directory TEXT,
                    artifact_path TEXT,
                    status_detail TEXT,
                    version BIGINT NOT NULL
                )
                """,
                "CREATE INDEX models_method_status ON models (grpc_service, grpc_method, status)",
                // One row per (model, lower-cased address): quota counts are an indexed join.
                """
                CREATE TABLE model_addresses (
                    model_id TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
                    address TEXT NOT NULL,
                    PRIMARY KEY (model_id, address)
                )
                """,
                "CREATE INDEX model_addresses_address ON model_addresses (address)",
                """
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY,
                    model_id TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    worker TEXT,
                    lease_expires_at DOUBLE PRECISION,
                    created_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL
                )
                """,
                "CREATE INDEX jobs_state_created ON jobs (state, created_at)",
                "CREATE INDEX jobs_model ON jobs (model_id)",
            ]
        ),
        (
            2,
            [
                // Each status a model entered, for the dashboard's history (SQLModelRegistry+Browsing.swift).
                """
                CREATE TABLE model_status_events (
                    model_id TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
                    seq BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    detail TEXT,
                    at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (model_id, seq)
                )
                """
            ]
        ),
        (
            3,
            [
                // The trainer's report as structure (JSON of TrainingReport) next to its text in
                // status_detail. Only adds nullable columns: a node of version 2 keeps reading and
                // writing these tables during a rolling upgrade (its writes leave the report stale,
                // which readers detect: ModelRecord.restoring).
                "ALTER TABLE models ADD COLUMN report TEXT",
                "ALTER TABLE model_status_events ADD COLUMN report TEXT",
            ]
        ),
    ]

    /// How long to wait before each retry of a failed run; its length is the number of retries.
    static let retryDelays: [Duration] = [.milliseconds(200), .milliseconds(400)]

    /// Brings the schema up to date. Safe to run from several nodes at once: each migration's
    /// version row is inserted in the same transaction as its statements, so a concurrent runner's
    /// transaction fails on the primary key and rolls back. Waits between attempts on `clock`.
    static func run(on provider: any SQLSessionProvider, clock: some Clock<Duration>) async throws {
        // Nodes starting together race; the loser's transaction fails and rolls back, and its
        // retry finds the winner's version rows.
        for delay in retryDelays {
            do {
                return try await runOnce(on: provider)
            } catch {
                try await clock.sleep(for: delay)
            }
        }
        try await runOnce(on: provider)
    }

    private static func runOnce(on provider: any SQLSessionProvider) async throws {
        try await provider.withTransaction { db in
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)"
            ).run()
        }
        for migration in all {
            try await provider.withTransaction { db in
                let applied = try await db.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)"
                ).first()
                guard applied == nil else { return }
                for statement in migration.statements {
                    try await db.raw(statement).run()
                }
                let now = Date().timeIntervalSince1970
                try await db.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: migration.version), \(bind: now))"
                ).run()
            }
        }
    }

    /// The newest version the code knows.
    static var latestVersion: Int { all.last?.version ?? 0 }
}
