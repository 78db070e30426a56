import Foundation
public import Logging
public import PostgresNIO
import PostgresKit
import _ConnectionPoolModule
public import ServiceLifecycle
import Synchronization
public import SQLKit

/// A PostgreSQL database as the registry's store, for several nodes sharing one registry.
///
/// It is a `Service`: its `run()` runs PostgresNIO's connection pool, and belongs in the service
/// group before the services that use the registry (a group shuts its services down in reverse
/// order, so calls and jobs finish while the database is still reachable). Until the pool runs,
/// each transaction gets a connection of its own: migrations and start-up checks work before the
/// group starts, and fail fast when the database is down.
///
/// ```swift
/// let sessions = try PostgresSessionProvider(url: "postgres://snet:…@db:5432/training", logger: logger)
/// let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
/// try await ServiceGroup(services: [sessions, server], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class PostgresSessionProvider: SQLSessionProvider, Service {
    private let client: PostgresClient
    private let connectionConfiguration: PostgresConnection.Configuration
    private let logger: Logger
    private let phase = Mutex<Phase>(.startingUp)
    private let nextConnectionID = Atomic<Int>(0)
    /// Held by `run()` while the pool runs, so `shutdown()` can wait for it to end.
    private let running = AsyncLock()
    private let (stopRequests, requestStop) = AsyncStream<Void>.makeStream()

    private enum Phase {
        /// The pool has not run yet: one connection per transaction.
        case startingUp
        /// `run()` is running the pool.
        case pooled
        /// Shut down: every transaction fails (UNAVAILABLE).
        case closed
    }

    /// `postgres://user:password@host:port/database` (password and port optional).
    public init(url: String, logger: Logger) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, let user = components.user
        else {
            throw PostgresURLError(url: url)
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        let port = components.port ?? 5432
        var pool = PostgresClient.Configuration(
            host: host, port: port, username: user, password: components.password, database: database, tls: .disable
        )
        pool.options.maximumConnections = 8
        // A database that is down is reported within seconds (UNAVAILABLE), not after the default 10 s.
        pool.options.connectTimeout = .seconds(3)
        var single = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: components.password, database: database, tls: .disable
        )
        single.options.connectTimeout = .seconds(3)
        self.client = PostgresClient(configuration: pool, backgroundLogger: logger)
        self.connectionConfiguration = single
        self.logger = logger
    }

    /// Runs the connection pool until graceful shutdown, cancellation or ``shutdown()``.
    public func run() async {
        await running.withLock {
            let starts = phase.withLock { phase in
                guard case .startingUp = phase else { return false }
                phase = .pooled
                return true
            }
            guard starts else { return }  // shut down before it ran: nothing to run
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.client.run() }
                group.addTask { for await _ in self.stopRequests {} }  // ends at shutdown() or cancellation
                _ = await group.next()
                // Calls that arrive while the pool closes are refused at once (UNAVAILABLE).
                phase.withLock { $0 = .closed }
                group.cancelAll()
            }
        }
    }

    /// Refuses further transactions and ends `run()`, waiting until the pool has closed. The pool
    /// closes its connections at once, in use or not; calls still on them are answered UNAVAILABLE
    /// within about a second, so neither this nor a cancelled `run()` waits for callers.
    public func shutdown() async {
        phase.withLock { $0 = .closed }
        requestStop.finish()
        await running.withLock {}
    }

    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await connected { connection in
            try await connection.sql().inTransaction(isClosed: { connection.isClosed }, body)
        }
    }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await connected { connection in try await body(connection.sql()) }
    }

    private func connected<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let pooled: Bool
        switch phase.withLock({ $0 }) {
        case .pooled: pooled = true
        case .startingUp: pooled = false
        case .closed: throw RegistryClosed()
        }
        if Task.isCancelled { throw CancellationError() }  // asked for nothing yet: nothing failed
        let call = ConnectionCall<T>()
        // Unstructured, so the caller can be answered without awaiting it (see ConnectionCall);
        // cancelling it withdraws a lease still queued in the pool. One that PostgresNIO strands
        // after its connection closed stays suspended: a small leak, instead of a hung caller.
        let work = Task {
            do {
                let value =
                    pooled
                    ? try await self.client.withConnection { try await call.hold($0, body) }
                    : try await self.ownConnection { try await call.hold($0, body) }
                call.finish(.success(value))
            } catch {
                call.finish(.failure(error))
            }
        }
        let watchdog = Task {
            await call.watch(connectionWait: Self.connectionWait, grace: Self.closedConnectionGrace, every: Self.watchInterval)
        }
        defer {
            watchdog.cancel()
            work.cancel()
        }
        return try await withTaskCancellationHandler {
            try await call.outcome()
        } onCancel: {
            // A cancelled caller stops waiting for a connection at once: the pool's own withdrawal
            // of a queued lease misses a cancellation that lands just before the lease is queued.
            // A caller whose transaction holds a connection still waits for it to end.
            call.giveUpWaiting(with: ConnectionWaitCancelled())
            work.cancel()
        }
    }

    /// `body` on a connection of its own, closed after it: before the pool runs.
    private func ownConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let id = nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: id, logger: logger)
        do {
            let value = try await body(connection)
            try? await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// How long a call waits for a connection before the database counts as unreachable. The pool
    /// itself keeps trying to connect for about a minute; a consumer should hear sooner.
    static let connectionWait: Duration = .seconds(5)

    /// How long a call still waits for its work once the connection under it has closed (the pool
    /// shutting down, the server gone): enough for the work to report the failure itself.
    static let closedConnectionGrace: Duration = .seconds(1)

    /// How often a call's watchdog looks at its wait and its connection.
    private static let watchInterval: Duration = .milliseconds(250)

    /// A connection that could not be made or was lost, or a pool that gave up connecting.
    /// Also a call the node stopped serving: its caller cancelled while it waited for a connection,
    /// or the pool closing under it.
    public func isUnreachable(_ error: any Error) -> Bool {
        if error is ConnectionWaitTimedOut || error is ConnectionWaitCancelled || error is ConnectionLost || error is RegistryClosed {
            return true
        }
        if let pool = error as? _ConnectionPoolModule.ConnectionPoolError {
            return [.connectionCreationCircuitBreakerTripped, .poolShutdown, .requestCancelled].contains(pool)
        }
        guard let psql = error as? PSQLError else { return false }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed].contains(psql.code)
    }
}

/// No pooled connection was handed out within ``PostgresSessionProvider/connectionWait``.
struct ConnectionWaitTimedOut: Error, CustomStringConvertible {
    var description: String { "no PostgreSQL connection within \(PostgresSessionProvider.connectionWait)" }
}

/// The caller was cancelled (a consumer hung up, a job was stopped) while waiting for a connection.
struct ConnectionWaitCancelled: Error, CustomStringConvertible {
    var description: String { "cancelled while waiting for a PostgreSQL connection" }
}

/// The connection under a call closed (the pool shut down, the server went away) and the call did
/// not end within ``PostgresSessionProvider/closedConnectionGrace``.
struct ConnectionLost: Error, CustomStringConvertible {
    var description: String { "the PostgreSQL connection closed during the call" }
}

/// The provider was shut down: a call that arrives while the node stops.
struct RegistryClosed: Error, CustomStringConvertible {
    var description: String { "the PostgreSQL registry is shut down" }
}

/// A registry URL that is not `postgres://user[:password]@host[:port]/database`.
public struct PostgresURLError: Error, CustomStringConvertible {
    public var url: String
    public var description: String { "'\(url)' is not a PostgreSQL URL of the form postgres://user:password@host:5432/database." }
}
