import Foundation
import Logging
import SQLKit
import Testing
import TrainingCore
import TrainingRegistry
import TrainingTesting

/// A node of the previous version (schema 2: no `report` columns) keeps working on a registry the
/// new version migrated, as during a rolling upgrade of nodes sharing one PostgreSQL registry: its
/// own statements, copied here as it ran them, still insert, update and read models and history;
/// it reads the text of reports the new version wrote; and the new version ignores a report the
/// old node made stale by changing the detail alone.
@Suite("Rolling upgrade: the previous version's queries on the migrated schema")
struct RollingUpgradeTests {
    static let method = MethodName(service: "service.ExampleService", method: "stt")

    @Test("previous-version statements work on the migrated schema", arguments: [Backend.sqlite, .postgres])
    func previousVersionQueries(backend: Backend) async throws {
        try await withSessions(backend) { sessions in
            // The new version migrates first (schema 3), then both versions share the tables.
            _ = try await SQLModelRegistry.migrated(sessions: sessions, logger: Logger(label: "t"))
            let id = ModelIdentifier.generate()
            try await sessions.withTransaction { db in try await PreviousVersion.insert(id: id, in: db) }
            let created = try #require(try await newVersion(sessions).model(id: id))
            #expect(created.status == .created && created.report == nil)

            // The new version writes a report; the old node reads its text.
            var model = created
            try model.beginValidation(dataset: nil, link: "file:///x", now: Date())
            model = try await newVersion(sessions).save(model, enqueueing: nil)
            let report = TrainingReport("2 labels, 9 texts.", figures: [.init("Texts", number: 9)])
            try model.finishValidation(
                dataset: DatasetReference(path: "d", originalName: "d.zip", byteCount: 1, sha256: ""), datasetDirectory: "x",
                report: report, now: Date()
            )
            model = try await newVersion(sessions).save(model, enqueueing: nil)
            let seen = try await sessions.withSession { db in try await PreviousVersion.select(id: id, in: db) }
            #expect(seen.status == "VALIDATED" && seen.detail == "2 labels, 9 texts.\nTexts: 9")

            // The old node changes the detail alone: the new version shows it, without the stale report.
            let updated = try await sessions.withTransaction { db in
                try await PreviousVersion.update(id: id, version: seen.version, detail: "Checked again by an old node.", in: db)
            }
            #expect(updated)
            let reread = try #require(try await newVersion(sessions).model(id: id))
            #expect(reread.statusDetail == "Checked again by an old node." && reread.report == nil)
            let history = try await newVersion(sessions).statusHistory(modelID: id)
            #expect(history.map(\.status) == [.created, .validating, .validated])
            #expect(history.last?.detail == "Checked again by an old node." && history.last?.report == nil)
        }
    }

    /// A registry of the new version over `sessions`, made afresh so no read cache hides the old node's writes.
    private func newVersion(_ sessions: any SQLSessionProvider) async throws -> SQLModelRegistry {
        try await SQLModelRegistry.migrated(sessions: sessions, logger: Logger(label: "t"))
    }

    private func withSessions(_ backend: Backend, _ body: (any SQLSessionProvider) async throws -> Void) async throws {
        let logger = Logger(label: "t")
        switch backend {
        case .memory:
            Issue.record("the in-memory registry has no schema")
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appending(path: "upgrade-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let sessions = try await SQLiteSessionProvider.open(path: directory.appending(path: "r.sqlite").path(percentEncoded: false), logger: logger)
            try await body(sessions)
            await sessions.shutdown()
        case .postgres:
            try await PostgresTestCluster.with { cluster in
                let sessions = try PostgresSessionProvider.pooled(url: cluster.url(), logger: logger)
                do {
                    try await body(sessions)
                } catch {
                    await sessions.shutdown()
                    throw error
                }
                await sessions.shutdown()
            }
        }
    }
}

/// The statements of the previous version (schema 2) that touch the tables migration 3 changed,
/// as that version's SQLModelRegistry ran them.
private enum PreviousVersion {
    static func insert(id: String, in db: any SQLDatabase) async throws {
        let now = Date().timeIntervalSince1970
        try await db.raw(
            """
            INSERT INTO models (id, status, grpc_service, grpc_method, name, description, address_list,
                is_public, organization_id, service_id, group_id, created_by, created_at, updated_at,
                dataset_path, dataset_name, dataset_bytes, dataset_sha256, training_data_link,
                dataset_directory, artifact_path, status_detail, version)
            VALUES (\(bind: id), \(bind: "CREATED"), \(bind: RollingUpgradeTests.method.service),
                \(bind: RollingUpgradeTests.method.method), \(bind: "m"), \(bind: ""), \(bind: "[]"), \(bind: Int64(0)),
                \(bind: ""), \(bind: ""), \(bind: ""), \(bind: String?.none), \(bind: now), \(bind: now), \(bind: String?.none),
                \(bind: String?.none), \(bind: Int64?.none), \(bind: String?.none), \(bind: String?.none), \(bind: String?.none),
                \(bind: String?.none), \(bind: String?.none), \(bind: Int64(0)))
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO model_status_events (model_id, seq, status, detail, at)
            VALUES (\(bind: id), \(bind: Int64(1)), \(bind: "CREATED"), \(bind: String?.none), \(bind: now))
            """
        ).run()
    }

    static func select(id: String, in db: any SQLDatabase) async throws -> (status: String, detail: String?, version: Int64) {
        let row = try #require(
            try await db.raw(
                """
                SELECT id, status, grpc_service, grpc_method, name, description, address_list, is_public,
                       organization_id, service_id, group_id, created_by, created_at, updated_at,
                       dataset_path, dataset_name, dataset_bytes, dataset_sha256, training_data_link,
                       dataset_directory, artifact_path, status_detail, version
                FROM models WHERE id = \(bind: id)
                """
            ).first()
        )
        return (
            try row.decode(column: "status", as: String.self), try row.decode(column: "status_detail", as: String?.self),
            try row.decode(column: "version", as: Int64.self)
        )
    }

    /// The previous version's compare-and-set save of a detail, and its history update.
    static func update(id: String, version: Int64, detail: String, in db: any SQLDatabase) async throws -> Bool {
        let row = try await db.raw(
            """
            UPDATE models SET updated_at = \(bind: Date().timeIntervalSince1970), status_detail = \(bind: detail), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: version)
            RETURNING version
            """
        ).first()
        let last = try #require(
            try await db.raw(
                "SELECT status, seq FROM model_status_events WHERE model_id = \(bind: id) ORDER BY at DESC, seq DESC LIMIT 1"
            ).first()
        )
        try await db.raw(
            """
            UPDATE model_status_events SET detail = \(bind: detail)
            WHERE model_id = \(bind: id) AND seq = \(bind: try last.decode(column: "seq", as: Int64.self))
            """
        ).run()
        return row != nil
    }
}
