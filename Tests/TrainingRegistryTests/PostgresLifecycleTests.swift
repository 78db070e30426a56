import Foundation
import Logging
import SQLKit
import Testing
import TrainingRegistry
import TrainingTesting

/// `PostgresSessionProvider` as a `Service`: connections of its own before its pool runs (so
/// migrations work before the service group starts), pooled connections while `run()` runs, and
/// nothing after `shutdown()`.
@Suite("PostgreSQL session provider lifecycle")
struct PostgresLifecycleTests {
    @Test("one connection per call before run(), one reused pooled connection while it runs; shutdown() ends run() and refuses calls as unreachable")
    func lifecycle() async throws {
        try await PostgresTestCluster.with { try await check($0) }
    }

    private func check(_ cluster: PostgresTestCluster) async throws {
        let sessions = try PostgresSessionProvider(url: cluster.url(), logger: Logger(label: "test"))
        let before = try await backendIDs(of: sessions)
        #expect(Set(before).count == before.count, "a connection of its own per call before the pool runs: \(before)")

        let running = Task { await sessions.run() }
        // run() starts on a task of its own: the first calls may still come before it.
        var pooled = try await backendIDs(of: sessions)
        for _ in 0..<10 where Set(pooled).count != 1 { pooled = try await backendIDs(of: sessions) }
        #expect(Set(pooled).count == 1, "calls in sequence reuse one pooled connection: \(pooled)")
        #expect(Set(pooled).isDisjoint(with: before))

        await sessions.shutdown()
        await running.value  // shutdown() ended run()
        do {
            _ = try await backendIDs(of: sessions)
            Issue.record("a call succeeded after shutdown")
        } catch {
            #expect(sessions.isUnreachable(error), "refused as unreachable (UNAVAILABLE to a consumer): \(error)")
        }
        await sessions.run()  // a run after shutdown returns at once: nothing to run
    }

    private func backendIDs(of sessions: PostgresSessionProvider) async throws -> [Int] {
        var ids: [Int] = []
        for _ in 0..<3 {
            let id = try await sessions.withSession { db in
                try await db.raw("SELECT pg_backend_pid() AS pid").first(decoding: BackendID.self)?.pid
            }
            ids.append(try #require(id))
        }
        return ids
    }

    private struct BackendID: Decodable, Sendable {
        var pid: Int
    }
}

extension PostgresSessionProvider {
    /// A provider whose pool runs in the background until `shutdown()`, as it would in a service
    /// group.
    static func pooled(url: String, logger: Logger) throws -> PostgresSessionProvider {
        let sessions = try PostgresSessionProvider(url: url, logger: logger)
        Task { await sessions.run() }
        return sessions
    }
}
