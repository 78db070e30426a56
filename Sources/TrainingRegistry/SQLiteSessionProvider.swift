import Foundation
public import Logging
public import SQLKit
import SQLiteKit
import SQLiteNIO

/// A SQLite file as the registry's store: one connection, used by one transaction at a time.
///
/// WAL journal with `synchronous=FULL`: a status change is on disk before it is reported.
public final class SQLiteSessionProvider: SQLSessionProvider {
    private let connection: SQLiteConnection
    private let lock = AsyncLock()
    private let logger: Logger

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String, logger: Logger) async throws -> SQLiteSessionProvider {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let provider = SQLiteSessionProvider(connection: connection, logger: logger)
        let db = connection.sql()
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"] {
            try await db.raw(SQLQueryString(pragma)).run()
        }
        return provider
    }

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            // IMMEDIATE takes the write lock up front, so another process on the same file waits
            // (busy_timeout) instead of failing half-way through.
            try await self.connection.sql().inTransaction(begin: "BEGIN IMMEDIATE", body)
        }
    }

    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock { try await body(self.connection.sql()) }
    }

    public func shutdown() async {
        await lock.withLock {
            do { try await self.connection.close() } catch { self.logger.warning("closing SQLite failed: \(error)") }
        }
    }
}
