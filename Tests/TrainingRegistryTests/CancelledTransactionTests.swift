import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
import TrainingRegistry
import TrainingTesting

/// A caller can be cancelled at any moment (a consumer hangs up, a job reaches its time limit); the
/// database drivers then skip its remaining statements. A transaction must still end, or the
/// connection stays inside it and every later write fails.
@Suite("A cancelled caller never leaves a transaction open")
struct CancelledTransactionTests {
    enum Store: String, CaseIterable { case sqlite, postgres }

    @Test("cancelled between two statements: the transaction commits whole, and the next one runs", arguments: Store.allCases)
    func cancelledMidTransaction(store: Store) async throws {
        try await withSessions(store) { sessions in
            try await sessions.withTransaction { db in try await db.raw("CREATE TABLE t (n INTEGER)").run() }
            let entered = Atomic<Bool>(false)
            let cancelled = Atomic<Bool>(false)
            let caller = Task {
                try await sessions.withTransaction { db in
                    try await db.raw("INSERT INTO t VALUES (1)").run()
                    entered.store(true, ordering: .sequentiallyConsistent)
                    while !cancelled.load(ordering: .sequentiallyConsistent) { try? await Task.sleep(for: .milliseconds(5)) }
                    try await db.raw("INSERT INTO t VALUES (2)").run()
                }
            }
            while !entered.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(5)) }
            caller.cancel()
            cancelled.store(true, ordering: .sequentiallyConsistent)
            try await caller.value
            try await sessions.withTransaction { db in try await db.raw("INSERT INTO t VALUES (3)").run() }
            let values = try await sessions.withSession { db in
                try await db.raw("SELECT n FROM t ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
            }
            #expect(values == [1, 2, 3])
        }
    }

    private func withSessions(_ store: Store, _ body: (any SQLSessionProvider) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        switch store {
        case .sqlite:
            let scratch = try ScratchDirectory()
            let sessions = try await SQLiteSessionProvider.open(path: scratch.file("r.sqlite").path(percentEncoded: false), logger: logger)
            do { try await body(sessions) } catch {
                await sessions.shutdown()
                throw error
            }
            await sessions.shutdown()
        case .postgres:
            try await PostgresTestCluster.with { cluster in
                let sessions = try PostgresSessionProvider.pooled(url: cluster.url(), logger: logger)
                do { try await body(sessions) } catch {
                    await sessions.shutdown()
                    throw error
                }
                await sessions.shutdown()
            }
        }
    }
}
