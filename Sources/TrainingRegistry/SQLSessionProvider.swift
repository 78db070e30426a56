public import SQLKit

/// Gives the registry a database session for one transaction. SQLite and PostgreSQL differ only
/// here: how a session is obtained and serialised. The SQL itself is shared (``SQLModelRegistry``).
public protocol SQLSessionProvider: Sendable {
    /// Runs `body` inside one transaction (BEGIN … COMMIT, ROLLBACK on error).
    func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs a single read; no transaction needed.
    func withSession<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Releases connections.
    func shutdown() async

    /// Whether every write to the store is made through this provider, in this process (a SQLite
    /// file one server owns): then the registry may keep recent reads, since it sees every change.
    /// False where other nodes write too (PostgreSQL).
    var hasSingleWriter: Bool { get }

    /// Whether `error` means the store cannot be reached now (a database server that is down or
    /// restarting), rather than a fault of the query: callers are then told UNAVAILABLE, to retry.
    func isUnreachable(_ error: any Error) -> Bool
}

extension SQLSessionProvider {
    public var hasSingleWriter: Bool { false }
    public func isUnreachable(_ error: any Error) -> Bool { false }
}
