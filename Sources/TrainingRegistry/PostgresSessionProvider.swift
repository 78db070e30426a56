import Foundation
public import Logging
public import PostgresNIO
import PostgresKit
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
        self.init(configuration: configuration, logger: logger)
    }

    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.sql().inTransaction(body)
        }
    }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection.sql()) }
    }

    public func shutdown() async {
        runner.cancel()
        await runner.value
    }
}

/// A registry URL that is not `postgres://user[:password]@host[:port]/database`.
public struct PostgresURLError: Error, CustomStringConvertible {
    public var url: String
    public var description: String { "'\(url)' is not a PostgreSQL URL of the form postgres://user:password@host:5432/database." }
}
