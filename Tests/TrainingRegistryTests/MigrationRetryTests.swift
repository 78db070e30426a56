import Foundation
import Logging
import SQLKit
import Synchronization
import Testing
import TrainingCore
import TrainingRegistry
import TrainingTesting

/// Nodes starting together race to migrate a shared registry; the loser's run fails and is tried
/// again after 200 ms, then after 400 ms more, then given up. The waits pass on a test clock.
@Suite("Migration retries")
struct MigrationRetryTests {
    struct Refused: Error {}

    /// A real SQLite store whose first `failures` transactions fail, as a lost race does.
    final class FlakySessions: SQLSessionProvider {
        let store: SQLiteSessionProvider
        let remaining: Mutex<Int>
        let attempts = Mutex(0)

        init(store: SQLiteSessionProvider, failures: Int) {
            self.store = store
            self.remaining = Mutex(failures)
        }

        func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            attempts.withLock { $0 += 1 }
            let fail = remaining.withLock { remaining in
                defer { remaining -= 1 }
                return remaining > 0
            }
            if fail { throw Refused() }
            return try await store.withTransaction(body)
        }

        func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await store.withSession(body)
        }

        func shutdown() async { await store.shutdown() }
    }

    private func withFlakySessions(failures: Int, _ body: (FlakySessions) async throws -> Void) async throws {
        let directory = try ScratchDirectory(prefix: "migration-retry")
        let store = try await SQLiteSessionProvider.open(path: directory.file("r.sqlite").path(percentEncoded: false), logger: Logger(label: "t"))
        let sessions = FlakySessions(store: store, failures: failures)
        do {
            try await body(sessions)
        } catch {
            await sessions.shutdown()
            throw error
        }
        await sessions.shutdown()
    }

    @Test("a failed run is tried again after 200 ms, then after 400 ms, and the registry works")
    func retriesOnSchedule() async throws {
        try await withFlakySessions(failures: 2) { sessions in
            let clock = TestClock()
            let migrating = Task { try await SQLModelRegistry.migrated(sessions: sessions, sleeper: clock, logger: Logger(label: "t")) }
            #expect(try await clock.waitForSleepers(sleepingFor: .milliseconds(200)))
            #expect(sessions.attempts.withLock { $0 } == 1)
            clock.advance(by: .milliseconds(199))
            #expect(sessions.attempts.withLock { $0 } == 1, "no retry before 200 ms")
            clock.advance(by: .milliseconds(1))
            #expect(try await clock.waitForSleepers(sleepingFor: .milliseconds(400)))
            #expect(sessions.attempts.withLock { $0 } == 2)
            clock.advance(by: .milliseconds(400))
            let registry = try await migrating.value
            let model = ModelRecord(id: ModelIdentifier.generate(), method: MethodName(service: "s.S", method: "m"), now: Date())
            try await registry.create(model)
            #expect(try await registry.model(id: model.id)?.status == .created)
        }
    }

    @Test("a third failure is reported, after two retries")
    func givesUpAfterThreeAttempts() async throws {
        try await withFlakySessions(failures: 3) { sessions in
            let clock = TestClock()
            let migrating = Task { try await SQLModelRegistry.migrated(sessions: sessions, sleeper: clock, logger: Logger(label: "t")) }
            for delay in [Duration.milliseconds(200), .milliseconds(400)] {
                let waiting = try await clock.waitForSleepers(sleepingFor: delay)
                #expect(waiting, "a retry after \(delay)")
                clock.advance(by: delay)
            }
            await #expect(throws: TrainingError.self) { try await migrating.value }
            #expect(sessions.attempts.withLock { $0 } == 3)
            #expect(clock.sleeperCount == 0, "no fourth attempt is waited for")
        }
    }
}
