public import Foundation
import SQLKit
public import TrainingCore

// The dashboard's read-only queries, and the status history they read (migration 2's
// model_status_events, written by `recordStatus` whenever a model is created or saved).
extension SQLModelRegistry: ModelRegistryBrowsing {
    public func modelCounts() async throws -> [ModelCount] {
        try await read { db in
            try await db.raw("SELECT grpc_service, grpc_method, status, COUNT(*) AS n FROM models GROUP BY grpc_service, grpc_method, status")
                .all().compactMap { row in
                    guard let status = ModelStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
                    return ModelCount(
                        method: MethodName(
                            service: try row.decode(column: "grpc_service", as: String.self),
                            method: try row.decode(column: "grpc_method", as: String.self)
                        ),
                        status: status, count: Int(try row.decode(column: "n", as: Int64.self))
                    )
                }
        }
    }

    public func jobCounts() async throws -> [JobCount] {
        try await read { db in
            try await db.raw("SELECT kind, state, COUNT(*) AS n FROM jobs GROUP BY kind, state").all().compactMap { row in
                guard let kind = TrainingJob.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
                    let state = TrainingJob.State(rawValue: try row.decode(column: "state", as: String.self))
                else { return nil }
                return JobCount(kind: kind, state: state, count: Int(try row.decode(column: "n", as: Int64.self)))
            }
        }
    }

    public func recentModels(limit: Int, status: ModelStatus?) async throws -> [ModelRecord] {
        try await read { db in
            let rows: [any SQLRow]
            if let status {
                rows = try await db.raw(
                    "\(ModelColumns.select) WHERE status = \(bind: status.rawValue) ORDER BY updated_at DESC LIMIT \(bind: Int64(limit))"
                ).all()
            } else {
                rows = try await db.raw("\(ModelColumns.select) ORDER BY updated_at DESC LIMIT \(bind: Int64(limit))").all()
            }
            return try rows.map(ModelRecord.init(row:))
        }
    }

    public func jobs(modelID: String) async throws -> [TrainingJob] {
        try await read { db in
            try await db.raw("\(JobColumns.select) WHERE model_id = \(bind: modelID) ORDER BY created_at").all()
                .map(TrainingJob.init(row:))
        }
    }

    public func statusHistory(modelID: String) async throws -> [ModelStatusEvent] {
        try await read { db in
            try await db.raw(
                "SELECT status, detail, report, at FROM model_status_events WHERE model_id = \(bind: modelID) ORDER BY at, seq"
            ).all().compactMap { row in
                guard let status = ModelStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
                let detail = try row.decode(column: "detail", as: String?.self)
                // Stale when a node of the previous version changed the detail alone.
                let report = TrainingReport(storedJSON: try row.decode(column: "report", as: String?.self)).flatMap {
                    $0.text() == detail ? $0 : nil
                }
                return ModelStatusEvent(
                    status: status, at: Date(timeIntervalSince1970: try row.decode(column: "at", as: Double.self)),
                    detail: detail, report: report
                )
            }
        }
    }

    /// Appends the model's status to its history when it differs from the last one recorded, and
    /// otherwise refreshes the last event's detail (a job's progress, then its final report), in
    /// the transaction that saves the model.
    static func recordStatus(of model: ModelRecord, in db: any SQLDatabase) async throws {
        let last = try await db.raw(
            "SELECT status, seq FROM model_status_events WHERE model_id = \(bind: model.id) ORDER BY at DESC, seq DESC LIMIT 1"
        ).first()
        if let last, try last.decode(column: "status", as: String.self) == model.status.rawValue {
            try await db.raw(
                """
                UPDATE model_status_events SET detail = \(bind: model.statusDetail), report = \(bind: model.reportJSON)
                WHERE model_id = \(bind: model.id) AND seq = \(bind: try last.decode(column: "seq", as: Int64.self))
                """
            ).run()
            return
        }
        let seq =
            (try await db.raw("SELECT COUNT(*) AS n FROM model_status_events WHERE model_id = \(bind: model.id)").first()?
                .decode(column: "n", as: Int64.self)) ?? 0
        try await db.raw(
            """
            INSERT INTO model_status_events (model_id, seq, status, detail, report, at)
            VALUES (\(bind: model.id), \(bind: seq + 1), \(bind: model.status.rawValue), \(bind: model.statusDetail),
                \(bind: model.reportJSON), \(bind: model.updatedAt.timeIntervalSince1970))
            """
        ).run()
    }
}
