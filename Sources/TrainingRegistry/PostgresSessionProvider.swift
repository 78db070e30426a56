import Foundation
public import Logging
public import PostgresNIO
import PostgresKit
import _ConnectionPoolModule
import TrainingCore
public import SQLKit

/// A PostgreSQL database as the registry's store, for several nodes sharing one registry. Uses
/// PostgresNIO's connection pool; each transaction runs on one pooled connection.
///
/// ```swift
/// let sessions = PostgresSessionProvider(configuration: .init(host: "db", username: "snet", password: "…", database: "training", tls: .disable), logger: logger)
/// let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
/// ```
public final class PostgresSessionProvider: SQLSessionProvider {
    private let client: PostgresClient
    private let runner: Task<Void, Never>

    /// Starts the connection pool; connections open on first use.
    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    /// `postgres://user:password@host:port/database` (password and port optional).
    public convenience init(url: String, logger: Logger) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, let user = components.user
        else {
            throw PostgresURLError(url: url)
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password, database: database, tls: .disable
        )
        configuration.options.maximumConnections = 8
        // A database that is down is reported within seconds (UNAVAILABLE), not after the default 10 s.
        configuration.options.connectTimeout = .seconds(3)
        self.init(configuration: configuration, logger: logger)
    }

    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await leased { connection in
            try await connection.sql().inTransaction(body)
        }
    }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await leased { connection in try await body(connection.sql()) }
    }

    /// How long a call waits for a pooled connection before the database counts as unreachable.
    /// The pool itself keeps trying to connect for about a minute; a consumer should hear sooner.
    static let connectionWait: Duration = .seconds(5)

    /// `body` on a pooled connection, or ``ConnectionWaitTimedOut`` when none is handed out within
    /// ``connectionWait`` (the database is down). Once a connection is held, `body` runs to its end.
    private func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let acquired = SharedFlag()
        return try await withThrowingTaskGroup(of: Leased<T>.self) { group in
            group.addTask {
                .done(
                    try await self.client.withConnection { connection in
                        acquired.raise()
                        return try await body(connection)
                    })
            }
            group.addTask {
                // A cancelled caller is not a timeout: the lease itself then decides (a transaction
                // that holds a connection runs to its end; a lease still waiting is cancelled).
                guard (try? await Task.sleep(for: Self.connectionWait)) != nil else { return .waiting }
                guard acquired.isRaised else { throw ConnectionWaitTimedOut() }
                return .waiting
            }
            while let next = try await group.next() {
                if case .done(let value) = next {
                    group.cancelAll()
                    return value
                }
            }
            throw ConnectionWaitTimedOut()  // unreachable: the lease task always ends with a value or an error
        }
    }

    private enum Leased<T: Sendable>: Sendable {
        case done(T)
        case waiting
    }

    /// A connection that could not be made or was lost, or a pool that gave up connecting.
    public func isUnreachable(_ error: any Error) -> Bool {
        if error is ConnectionWaitTimedOut { return true }
        if let pool = error as? _ConnectionPoolModule.ConnectionPoolError { return pool == .connectionCreationCircuitBreakerTripped }
        guard let psql = error as? PSQLError else { return false }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed].contains(psql.code)
    }

    public func shutdown() async {
        runner.cancel()
        await runner.value
    }
}

/// No pooled connection was handed out within ``PostgresSessionProvider/connectionWait``.
struct ConnectionWaitTimedOut: Error, CustomStringConvertible {
    var description: String { "no PostgreSQL connection within \(PostgresSessionProvider.connectionWait)" }
}

/// A registry URL that is not `postgres://user[:password]@host[:port]/database`.
public struct PostgresURLError: Error, CustomStringConvertible {
    public var url: String
    public var description: String { "'\(url)' is not a PostgreSQL URL of the form postgres://user:password@host:5432/database." }
}
