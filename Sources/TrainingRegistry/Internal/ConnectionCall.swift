import PostgresNIO
import Synchronization

/// One registry call's wait for a PostgreSQL connection and its work on it, answered exactly once,
/// so the caller can be answered without waiting for the work itself.
///
/// The work runs on a task the caller does not await: a task group would await it, and PostgresNIO
/// can leave it waiting forever (a lease the pool never answers; a statement written after its
/// connection closed, whose reply is never completed). The caller is answered by whichever comes
/// first: the work's own outcome; a wait for a connection that outlasts its bound or whose caller
/// is cancelled; or, while the work holds a connection, that connection closing. An open connection
/// is never given up on: a transaction that holds one runs to its end.
final class ConnectionCall<T: Sendable>: Sendable {
    private enum Stage {
        case waiting
        case holding(PostgresConnection)
        /// The work is done with its connection, or will never get one.
        case over
    }

    private struct State {
        var stage = Stage.waiting
        var outcome: Result<T, any Error>?
        var caller: CheckedContinuation<T, any Error>?
        var isAnswered = false
    }

    private let state = Mutex(State())

    /// Runs `body` on `connection` unless the caller has already been answered (the wait timed out
    /// or was cancelled): the connection then goes straight back to the pool, unused.
    func hold(_ connection: PostgresConnection, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let holds = state.withLock { state in
            guard !state.isAnswered else { return false }
            state.stage = .holding(connection)
            return true
        }
        guard holds else { throw ConnectionWaitTimedOut() }  // nobody waits for this outcome
        defer { state.withLock { $0.stage = .over } }
        return try await body(connection)
    }

    /// The work's own outcome; ignored if the caller has already been answered.
    func finish(_ outcome: Result<T, any Error>) {
        answer(outcome)
    }

    /// Answers the caller with `error` if the work is still waiting for a connection: true if it did.
    @discardableResult
    func giveUpWaiting(with error: any Error) -> Bool {
        let (gaveUp, caller) = state.withLock { state -> (Bool, CheckedContinuation<T, any Error>?) in
            guard case .waiting = state.stage, !state.isAnswered else { return (false, nil) }
            state.stage = .over
            return (true, Self.answer(&state, with: .failure(error)))
        }
        caller?.resume(throwing: error)
        return gaveUp
    }

    /// Suspends until the call is answered.
    func outcome() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let outcome = state.outcome { return outcome }
                state.caller = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Bounds the call: a wait for a connection longer than `connectionWait` answers
    /// ``ConnectionWaitTimedOut``; a held connection that closes answers ``ConnectionLost`` unless the
    /// work ends within `grace` (its statements then fail, or never get a reply). Returns when the
    /// call no longer needs watching; cancel it once the caller is answered.
    func watch(connectionWait: Duration, grace: Duration, every interval: Duration) async {
        let deadline = ContinuousClock.now + connectionWait
        while (try? await Task.sleep(for: interval)) != nil {
            switch state.withLock({ $0.isAnswered ? .over : $0.stage }) {
            case .waiting:
                if ContinuousClock.now >= deadline, giveUpWaiting(with: ConnectionWaitTimedOut()) { return }
            case .holding(let connection):
                guard connection.isClosed else { continue }
                guard (try? await Task.sleep(for: grace)) != nil else { return }
                answer(.failure(ConnectionLost()))
                return
            case .over:
                return
            }
        }
    }

    private func answer(_ outcome: Result<T, any Error>) {
        let caller = state.withLock { Self.answer(&$0, with: outcome) }
        caller?.resume(with: outcome)
    }

    /// Records the call's outcome if it has none yet; the caller to resume, if it already waits.
    private static func answer(_ state: inout State, with outcome: Result<T, any Error>) -> CheckedContinuation<T, any Error>? {
        guard !state.isAnswered else { return nil }
        state.isAnswered = true
        state.outcome = outcome
        defer { state.caller = nil }
        return state.caller
    }
}
