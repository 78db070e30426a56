public import Foundation
public import Logging
import SQLKit
public import TrainingCore

/// The model registry over SQL shared by SQLite and PostgreSQL. The backend differs only in its
/// ``SQLSessionProvider``.
///
/// ```swift
/// let sessions = try await SQLiteSessionProvider.open(path: "data/registry.sqlite", logger: logger)
/// let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
/// ```
public final class SQLModelRegistry: ModelRegistry {
    private let sessions: any SQLSessionProvider
    private let logger: Logger
    private let clock: WallClock
    /// Recent `model(id:)` answers, when every write goes through this process (SQLite); nil for
    /// a store several nodes write (PostgreSQL), where only the database is coherent.
    private let cache: ModelReadCache?
    private let timing = QueryTiming()

    /// Runs the schema migrations, then returns a registry over `sessions`. A failed migration run
    /// (nodes starting together race for it) is retried twice, after waits on `sleeper`.
    public static func migrated(
        sessions: any SQLSessionProvider,
        clock: WallClock = .system,
        sleeper: some Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) async throws -> SQLModelRegistry {
        do {
            try await Migrations.run(on: sessions, clock: sleeper)
        } catch {
            throw TrainingError.internalError("The model registry could not be prepared.", cause: error)
        }
        return SQLModelRegistry(sessions: sessions, clock: clock, logger: logger)
    }

    private init(sessions: any SQLSessionProvider, clock: WallClock, logger: Logger) {
        self.sessions = sessions
        self.cache = sessions.hasSingleWriter ? ModelReadCache() : nil
        self.clock = clock
        self.logger = logger
    }

    public func shutdown() async {
        await sessions.shutdown()
    }

    public func create(_ model: ModelRecord) async throws {
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO models (id, status, grpc_service, grpc_method, name, description, address_list,
                    is_public, organization_id, service_id, group_id, created_by, created_at, updated_at,
                    dataset_path, dataset_name, dataset_bytes, dataset_sha256, training_data_link,
                    dataset_directory, artifact_path, status_detail, report, version)
                VALUES (\(bind: model.id), \(bind: model.status.rawValue), \(bind: model.method.service),
                    \(bind: model.method.method), \(bind: model.name), \(bind: model.description),
                    \(bind: model.addressListJSON), \(bind: Int64(model.isPublic ? 1 : 0)),
                    \(bind: model.organizationID), \(bind: model.serviceID), \(bind: model.groupID),
                    \(bind: model.createdBy), \(bind: model.createdAt.timeIntervalSince1970),
                    \(bind: model.updatedAt.timeIntervalSince1970), \(bind: model.dataset?.path),
                    \(bind: model.dataset?.originalName), \(bind: model.dataset.map { Int64(clamping: $0.byteCount) }),
                    \(bind: model.dataset?.sha256), \(bind: model.trainingDataLink), \(bind: model.datasetDirectory),
                    \(bind: model.artifactPath), \(bind: model.statusDetail), \(bind: model.reportJSON),
                    \(bind: Int64(model.version)))
                """
            ).run()
            try await Self.replaceAddresses(of: model, in: db)
            try await Self.recordStatus(of: model, in: db)
        }
    }

    public func model(id: String) async throws -> ModelRecord? {
        // Status polling is most of the traffic: a cached record skips the statement, the decoding
        // and three thread hops (see ModelReadCache for why it is never stale).
        if let cached = cache?.record(id: id) { return cached }
        let generation = cache?.currentGeneration()
        let record = try await read { db in
            try await db.raw("\(ModelColumns.select) WHERE id = \(bind: id)").first().map(ModelRecord.init(row:))
        }
        if let cache, let generation, let record { cache.keep(record, readIn: generation) }
        return record
    }

    @discardableResult
    public func save(_ model: ModelRecord, enqueueing job: TrainingJob?) async throws -> ModelRecord {
        let now = clock.now()
        let saved = try await transaction { db -> ModelRecord? in
            guard let saved = try await Self.update(model, in: db) else { return nil }
            if job != nil || model.status == .deleted {
                try await db.raw(
                    """
                    UPDATE jobs SET state = 'cancelled', updated_at = \(bind: now.timeIntervalSince1970)
                    WHERE model_id = \(bind: model.id) AND state IN ('queued', 'running')
                    """
                ).run()
            }
            if let job {
                try await db.raw(
                    """
                    INSERT INTO jobs (id, model_id, kind, state, attempts, worker, lease_expires_at, created_at, updated_at)
                    VALUES (\(bind: job.id), \(bind: job.modelID), \(bind: job.kind.rawValue), 'queued', 0, NULL, NULL,
                        \(bind: job.createdAt.timeIntervalSince1970), \(bind: now.timeIntervalSince1970))
                    """
                ).run()
            }
            return saved
        }
        guard let saved else {
            throw TrainingError(
                code: .aborted,
                message: "Model '\(model.id)' was changed by another request at the same time; retry the call."
            )
        }
        return saved
    }

    public func liveModelCount(method: MethodName, address: String) async throws -> Int {
        try await read { db in
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS n FROM models m JOIN model_addresses a ON a.model_id = m.id
                WHERE a.address = \(bind: address.lowercased()) AND m.grpc_service = \(bind: method.service)
                  AND m.grpc_method = \(bind: method.method) AND m.status <> 'DELETED'
                """
            ).first()
            return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    public func liveModelCount() async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM models WHERE status <> 'DELETED'")
    }

    public func purgeDeleted(updatedBefore cutoff: Date) async throws -> Int {
        let cutoff = cutoff.timeIntervalSince1970
        return try await transaction { db in
            // Children first: foreign-key cascades are not on in every SQLite connection.
            let purged: SQLQueryString = "SELECT id FROM models WHERE status = 'DELETED' AND updated_at < \(bind: cutoff)"
            try await db.raw("DELETE FROM jobs WHERE model_id IN (\(purged))").run()
            try await db.raw("DELETE FROM model_addresses WHERE model_id IN (\(purged))").run()
            return try await db.raw(
                """
                DELETE FROM models WHERE status = 'DELETED' AND updated_at < \(bind: cutoff) RETURNING id
                """
            ).all().count
        }
    }

    public func pendingJobCount() async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')")
    }

    public func job(id: String) async throws -> TrainingJob? {
        try await read { db in
            try await db.raw("\(JobColumns.select) WHERE id = \(bind: id)").first().map(TrainingJob.init(row:))
        }
    }

    // MARK: Internals shared by the job queries (SQLModelRegistry+Jobs.swift)

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { timing.record(.transaction, since: start) }
        // After the commit (or rollback): reads from before it may no longer be current.
        defer { cache?.invalidate() }
        do {
            return try await sessions.withTransaction(body)
        } catch let error as TrainingError {
            throw error
        } catch let declined as TransactionDeclined {
            throw declined
        } catch  where sessions.isUnreachable(error) {
            throw unreachable(error)
        } catch {
            logger.error("registry transaction failed", metadata: ["error": "\(String(reflecting: error))"])
            throw TrainingError.internalError(cause: error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { timing.record(.read, since: start) }
        do {
            return try await sessions.withSession(body)
        } catch let error as TrainingError {
            throw error
        } catch is CancellationError {
            // The caller went away (a consumer hung up): nothing failed, and a read leaves no state.
            throw CancellationError()
        } catch  where sessions.isUnreachable(error) {
            throw unreachable(error)
        } catch {
            logger.error("registry read failed", metadata: ["error": "\(String(reflecting: error))"])
            throw TrainingError.internalError(cause: error)
        }
    }

    var now: Date { clock.now() }

    /// UNAVAILABLE: the database is down or restarting; the call can be tried again shortly, and
    /// the pool reconnects by itself once the database is back.
    private func unreachable(_ error: any Error) -> TrainingError {
        logger.warning("model registry unreachable", metadata: ["error": "\(String(reflecting: error))"])
        return TrainingError(code: .unavailable, message: "The model registry cannot be reached right now; try again in a few seconds.", cause: error)
    }

    private func count(_ sql: SQLQueryString) async throws -> Int {
        try await read { db in
            Int(try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    /// Compare-and-set on `version`; nil if the stored record moved on since `model` was read.
    static func update(_ model: ModelRecord, in db: any SQLDatabase) async throws -> ModelRecord? {
        let row = try await db.raw(
            """
            UPDATE models SET status = \(bind: model.status.rawValue), name = \(bind: model.name),
                description = \(bind: model.description), address_list = \(bind: model.addressListJSON),
                is_public = \(bind: Int64(model.isPublic ? 1 : 0)), updated_at = \(bind: model.updatedAt.timeIntervalSince1970),
                dataset_path = \(bind: model.dataset?.path), dataset_name = \(bind: model.dataset?.originalName),
                dataset_bytes = \(bind: model.dataset.map { Int64(clamping: $0.byteCount) }),
                dataset_sha256 = \(bind: model.dataset?.sha256), training_data_link = \(bind: model.trainingDataLink),
                dataset_directory = \(bind: model.datasetDirectory), artifact_path = \(bind: model.artifactPath),
                status_detail = \(bind: model.statusDetail), report = \(bind: model.reportJSON), version = version + 1
            WHERE id = \(bind: model.id) AND version = \(bind: Int64(model.version))
            RETURNING version
            """
        ).first()
        guard let row else { return nil }
        let saved = model.saved(asVersion: Int(try row.decode(column: "version", as: Int64.self)))
        try await replaceAddresses(of: saved, in: db)
        try await recordStatus(of: saved, in: db)
        return saved
    }

    private static func replaceAddresses(of model: ModelRecord, in db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM model_addresses WHERE model_id = \(bind: model.id)").run()
        for address in model.quotaAddresses.sorted() {
            try await db.raw(
                "INSERT INTO model_addresses (model_id, address) VALUES (\(bind: model.id), \(bind: address))"
            ).run()
        }
    }
}

/// Thrown inside a transaction to roll it back on purpose; not a fault.
struct TransactionDeclined: Error {}
