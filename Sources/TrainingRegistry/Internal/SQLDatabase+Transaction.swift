import SQLKit

extension SQLDatabase {
    /// Runs `body` between `begin` and COMMIT on this one connection, rolling back if it throws.
    /// Both backends use it; they differ only in how they get the connection and which BEGIN.
    ///
    /// The transaction runs to its COMMIT or ROLLBACK even when the caller is cancelled (a consumer
    /// hung up, a job hit its time limit): the drivers skip the statements of a cancelled task,
    /// ROLLBACK included, which would leave the connection inside an open transaction and fail every
    /// later one ("cannot start a transaction within a transaction"). An unstructured task does not
    /// inherit the caller's cancellation; the caller still waits for it, so the connection is never
    /// shared.
    ///
    /// `isClosed` says whether the connection has closed under the transaction: the server has
    /// then ended it, and no ROLLBACK is sent (PostgresNIO never answers a statement written after
    /// its connection closed).
    func inTransaction<T: Sendable>(
        begin: SQLQueryString = "BEGIN",
        isClosed: @escaping @Sendable () -> Bool = { false },
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await Task { try await self.runTransaction(begin: begin, isClosed: isClosed, body) }.value
    }

    private func runTransaction<T: Sendable>(
        begin: SQLQueryString,
        isClosed: @Sendable () -> Bool,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await raw(begin).run()
        do {
            let result = try await body(self)
            try await raw("COMMIT").run()
            return result
        } catch {
            if !isClosed() { try? await raw("ROLLBACK").run() }
            throw error
        }
    }
}
