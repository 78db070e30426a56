import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization
import Testing
import TrainingRegistry
import TrainingTesting

/// A PostgreSQL provider stopped while calls still use it (`shutdown()`, its `run()` cancelled, or a
/// service group that stops it before the services using it): every call ends within seconds,
/// answered UNAVAILABLE, whether it holds one of the pool's eight connections or waits for one.
/// A hung call fails the test after ``bound`` instead of stalling the suite.
@Suite("PostgreSQL provider stopped while calls use it")
struct PostgresShutdownTests {
    /// Far more than a call needs to be answered, far less than the transactions holding
    /// connections sleep: a call answered within it was answered because the provider stopped.
    static let bound: Duration = .seconds(30)

    enum Stop: String, CaseIterable, Sendable {
        case shutdown
        case cancelledRun
        case cancelledRunAndCallers
        /// A service group that stops the provider first: the wrong order, which must not hang either.
        case gracefulShutdownProviderFirst
    }

    @Test(
        "stopped while eight transactions hold every connection and eight more calls wait: each call is answered UNAVAILABLE and run() ends",
        arguments: Stop.allCases
    )
    func stoppedUnderLoad(stop: Stop) async throws {
        try await PostgresTestCluster.with { cluster in
            let sessions = try PostgresSessionProvider(url: cluster.url(), logger: Logger(label: "test"))
            let calls = Calls(sessions: sessions)
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: Draining(calls: calls, count: 16)), .init(service: sessions)], logger: Logger(label: "test"))
            )
            let running = Task<Void, Never> {
                if stop == .gracefulShutdownProviderFirst { try? await group.run() } else { await sessions.run() }
            }
            try await waitUntilPooled(sessions)
            let holding = calls.startHolding(8, sleepSeconds: 60)
            try await calls.waitUntilHeld(8)
            let waiting = calls.startWaiting(8)
            try await Task.sleep(for: .milliseconds(300))  // the waiting calls are queued in the pool

            switch stop {
            case .shutdown:
                Task { await sessions.shutdown() }
            case .cancelledRun:
                running.cancel()
            case .cancelledRunAndCallers:
                running.cancel()
                (holding + waiting).forEach { $0.cancel() }
            case .gracefulShutdownProviderFirst:
                await group.triggerGracefulShutdown()
            }

            let outcomes = try #require(await calls.outcomes(count: 16, within: Self.bound), "every call ended within \(Self.bound)")
            for outcome in outcomes {
                #expect(outcome.error.map(sessions.isUnreachable) == true, "answered UNAVAILABLE: \(outcome)")
            }
            #expect(await ends(running, within: Self.bound), stop == .gracefulShutdownProviderFirst ? "the service group stopped" : "run() ended")
            do {
                try await sessions.withSession { db in try await db.raw("SELECT 1").run() }
                Issue.record("a call succeeded after the provider stopped")
            } catch {
                #expect(sessions.isUnreachable(error), "refused as unreachable: \(error)")
            }
            await sessions.shutdown()
        }
    }

    @Test(
        "callers cancelled while they wait for a connection are answered UNAVAILABLE at once; the cancelled transactions that hold connections still commit"
    )
    func cancelledWhileWaiting() async throws {
        try await PostgresTestCluster.with { cluster in
            let sessions = try PostgresSessionProvider.pooled(url: cluster.url(), logger: Logger(label: "test"))
            try await waitUntilPooled(sessions)
            try await sessions.withTransaction { db in try await db.raw("CREATE TABLE held (n INTEGER)").run() }
            let calls = Calls(sessions: sessions)
            let holding = calls.startHolding(8, sleepSeconds: 10, inserting: true)
            try await calls.waitUntilHeld(8)
            let waiting = calls.startWaiting(8)
            try await Task.sleep(for: .milliseconds(300))  // the waiting calls are queued in the pool

            (holding + waiting).forEach { $0.cancel() }
            let outcomes = try #require(await calls.outcomes(count: 16, within: Self.bound), "every call ended within \(Self.bound)")
            let held = outcomes.filter { $0.held }
            let waited = outcomes.filter { !$0.held }
            #expect(held.count == 8 && held.allSatisfy { $0.error == nil }, "transactions holding a connection ran to their end: \(held)")
            for outcome in waited {
                #expect(outcome.error.map(sessions.isUnreachable) == true, "answered UNAVAILABLE: \(outcome)")
            }
            let lastWaiting = try #require(waited.map(\.endedAt).max())
            let firstHolding = try #require(held.map(\.endedAt).min())
            #expect(lastWaiting < firstHolding, "the waiting calls were answered before any connection was free")
            let rows = try await sessions.withSession { db in
                try await db.raw("SELECT count(*) AS n FROM held").first().map { try $0.decode(column: "n", as: Int.self) }
            }
            #expect(rows == 8)
            await sessions.shutdown()
        }
    }

    /// Waits until `run()` has started the pool (it runs on a task of its own).
    private func waitUntilPooled(_ sessions: PostgresSessionProvider) async throws {
        for _ in 0..<100 {
            let pids = try await sessions.withSession { db in
                try await db.raw("SELECT pg_backend_pid() AS pid").first().map { try $0.decode(column: "pid", as: Int.self) }
            }
            let again = try await sessions.withSession { db in
                try await db.raw("SELECT pg_backend_pid() AS pid").first().map { try $0.decode(column: "pid", as: Int.self) }
            }
            if pids == again { return }  // one reused connection: the pool runs
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the pool did not start")
    }

    /// Whether `task` ends within `limit`, without awaiting it past that.
    private func ends(_ task: Task<Void, Never>, within limit: Duration) async -> Bool {
        let ended = Ended()
        Task {
            await task.value
            ended.flag.store(true, ordering: .sequentiallyConsistent)
        }
        let deadline = ContinuousClock.now + limit
        while !ended.flag.load(ordering: .sequentiallyConsistent), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return ended.flag.load(ordering: .sequentiallyConsistent)
    }
}

/// The services that use the registry, as a server would: at graceful shutdown it waits for its
/// calls to end (a server draining its RPCs) before it returns.
private struct Draining: Service {
    let calls: Calls
    let count: Int

    func run() async {
        try? await gracefulShutdown()
        _ = await calls.outcomes(count: count, within: .seconds(3600))
    }
}

private final class Ended: Sendable {
    let flag = Atomic<Bool>(false)
}

/// Registry calls on their own tasks, each recording how it ended, so a hung call is seen as
/// missing rather than awaited.
private final class Calls: Sendable {
    struct Outcome: Sendable, CustomStringConvertible {
        var held: Bool
        var error: (any Error)?
        var endedAt: ContinuousClock.Instant
        var description: String { "\(held ? "holding" : "waiting"): \(error.map { String(reflecting: $0) } ?? "committed")" }
    }

    private let sessions: PostgresSessionProvider
    private let held = Atomic<Int>(0)
    private let ended = Mutex<[Outcome]>([])

    init(sessions: PostgresSessionProvider) {
        self.sessions = sessions
    }

    /// Transactions that take a connection each and keep it for `sleepSeconds`.
    func startHolding(_ count: Int, sleepSeconds: Int, inserting: Bool = false) -> [Task<Void, Never>] {
        (0..<count).map { index in
            Task {
                await self.record(held: true) {
                    try await self.sessions.withTransaction { db in
                        if inserting { try await db.raw("INSERT INTO held VALUES (\(bind: index))").run() }
                        self.held.add(1, ordering: .sequentiallyConsistent)
                        try await db.raw("SELECT pg_sleep(\(literal: sleepSeconds))").run()
                    }
                }
            }
        }
    }

    /// Transactions that find every connection taken.
    func startWaiting(_ count: Int) -> [Task<Void, Never>] {
        (0..<count).map { _ in
            Task { await self.record(held: false) { try await self.sessions.withTransaction { db in try await db.raw("SELECT 1").run() } } }
        }
    }

    func waitUntilHeld(_ count: Int) async throws {
        while held.load(ordering: .sequentiallyConsistent) < count { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// The first `count` outcomes, or nil if they are not all in within `limit`.
    func outcomes(count: Int, within limit: Duration) async -> [Outcome]? {
        let deadline = ContinuousClock.now + limit
        while ended.withLock({ $0.count }) < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        let outcomes = ended.withLock { $0 }
        return outcomes.count >= count ? outcomes : nil
    }

    private func record(held: Bool, _ call: () async throws -> Void) async {
        var error: (any Error)?
        do { try await call() } catch let failure { error = failure }
        let outcome = Outcome(held: held, error: error, endedAt: .now)
        ended.withLock { $0.append(outcome) }
    }
}
