import Synchronization

/// At most `limit` holders at once; others wait in order. A waiting task that is cancelled (its
/// model deleted, the gateway shutting down) stops waiting at once with a `CancellationError`.
final class ConcurrencyGate: Sendable {
    private struct State {
        var available: Int
        var nextTicket = 0
        var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var cancelled: Set<Int> = []
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Runs `body` holding a slot; `waiting` is called once if the slot is not free at once.
    func withSlot<Result>(waiting: () -> Void, _ body: () async throws -> Result) async throws -> Result {
        let immediate = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if !immediate {
            waiting()
            try await waitForSlot()
        }
        defer { release() }
        return try await body()
    }

    private func waitForSlot() async throws {
        let ticket = state.withLock { state in
            state.nextTicket += 1
            return state.nextTicket
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(ticket) != nil { return .failure(CancellationError()) }
                    if state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    state.waiters.append((ticket, continuation))
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let index = state.waiters.firstIndex(where: { $0.ticket == ticket }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelled.insert(ticket)  // cancelled before it queued: refuse it when it does
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return CheckedContinuation<Void, any Error>?.none
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
