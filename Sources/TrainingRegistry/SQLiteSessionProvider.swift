import Foundation
public import Logging
public import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// A SQLite file as the registry's store: one writing connection, used by one transaction at a
/// time, and a few read-only connections for single reads.
///
/// WAL journal with `synchronous=FULL`: a status change is on disk before it is reported. WAL also
/// lets the readers see every committed transaction while a new one is being written, so a read
/// (`get_model_status`) never waits behind a job's write and its fsync; it sees the last commit.
public final class SQLiteSessionProvider: SQLSessionProvider {
    private let connection: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)
    private let lock = AsyncLock()
    private let logger: Logger

    /// Opens (creating if needed) the database file at `path`, with `readers` read-only connections
    /// (default: one per core, at least two).
    public static func open(path: String, readers: Int? = nil, logger: Logger) async throws -> SQLiteSessionProvider {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let db = connection.sql()
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"] {
            try await db.raw(SQLQueryString(pragma)).run()
        }
        let count = max(1, readers ?? max(2, ProcessInfo.processInfo.activeProcessorCount))
        var readConnections: [SQLiteConnection] = []
        for _ in 0..<count {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            // query_only: a read session can never write, whatever a caller passes it.
            for pragma in ["PRAGMA busy_timeout=5000", "PRAGMA query_only=1"] {
                try await reader.sql().raw(SQLQueryString(pragma)).run()
            }
            readConnections.append(reader)
        }
        return SQLiteSessionProvider(connection: connection, readers: readConnections, logger: logger)
    }

    private init(connection: SQLiteConnection, readers: [SQLiteConnection], logger: Logger) {
        self.connection = connection
        self.readers = readers
        self.logger = logger
    }

    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            // IMMEDIATE takes the write lock up front, so another process on the same file waits
            // (busy_timeout) instead of failing half-way through.
            try await self.connection.sql().inTransaction(begin: "BEGIN IMMEDIATE", body)
        }
    }

    /// A single read on one of the read-only connections, round robin, without the writer's lock:
    /// each statement reads the last committed state (SQLite connections are serialised internally).
    public func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await body(readers[Int(UInt(bitPattern: index) % UInt(readers.count))].sql())
    }

    /// A SQLite registry belongs to one server (one node): every write goes through this provider.
    public var hasSingleWriter: Bool { true }

    /// A provider dropped without ``shutdown()`` (a builder whose server never ran, a start-up that
    /// failed) still closes its connections: sqlite-nio asserts that every connection is closed
    /// before it goes away. Each close runs on sqlite-nio's thread pool and keeps its connection
    /// alive until it has run.
    deinit {
        for connection in readers + [connection] where !connection.isClosed {
            _ = connection.close()
        }
    }

    public func shutdown() async {
        for reader in readers {
            do { try await reader.close() } catch { logger.warning("closing SQLite failed: \(error)") }
        }
        await lock.withLock {
            do { try await self.connection.close() } catch { self.logger.warning("closing SQLite failed: \(error)") }
        }
    }
}
