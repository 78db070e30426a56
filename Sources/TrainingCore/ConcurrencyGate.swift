import Synchronization

/// Admits at most `limit` callers at once and queues at most `queueLength` more; a caller beyond
/// that is refused at once with RESOURCE_EXHAUSTED, so overload is answered, never waited out.
/// Slots pass from a leaving caller straight to the longest waiting one.
///
/// A waiter whose task is cancelled (its call's deadline passed, its client went away, its job was
/// cancelled) leaves the queue at once with a `CancellationError` and never runs its body; a slot
/// handed to a task that was cancelled meanwhile passes on to the next waiter.
///
/// ```swift
/// let gate = ConcurrencyGate(name: "stt", limit: 4, queueLength: 16)
/// let word = try await gate.withSlot { try await recognize(clip) }
/// ```
public final class ConcurrencyGate: Sendable {
    private struct Waiter {
        var ticket: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var nextTicket = 0
        var waiting: [Waiter] = []
        /// Tickets admitted to the queue whose waiter has not queued yet; cancelling one removes
        /// it, and its waiter, finding it gone, does not queue.
        var unqueued: Set<Int> = []
    }

    public let limit: Int
    public let queueLength: Int
    private let name: String
    private let state = Mutex(State())

    /// `name` says what is busy in the refusal ("stt"). `queueLength: .max` queues without bound,
    /// for callers that are bounded elsewhere (trainer runs, bounded by the job runner).
    public init(name: String, limit: Int, queueLength: Int) {
        self.name = name
        self.limit = max(1, limit)
        self.queueLength = max(0, queueLength)
    }

    /// Runs `body` once a slot is free; `waiting` is called once, before waiting, if none is free
    /// at once (to tell a caller why nothing happens yet).
    public func withSlot<R>(waiting: () -> Void = {}, _ body: () async throws -> R) async throws -> R {
        try await enter(waiting: waiting)
        defer { leave() }
        return try await body()
    }

    /// Calls running and waiting now.
    public var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.waiting.count) }
    }

    private func enter(waiting: () -> Void) async throws {
        try Task.checkCancellation()
        enum Admission { case now, queue(ticket: Int), refused }
        let admission = state.withLock { state -> Admission in
            if state.running < limit {
                state.running += 1
                return .now
            }
            guard state.waiting.count < queueLength else { return .refused }
            state.nextTicket &+= 1
            state.unqueued.insert(state.nextTicket)
            return .queue(ticket: state.nextTicket)
        }
        switch admission {
        case .now:
            return
        case .refused:
            throw busy
        case .queue(let ticket):
            waiting()
            try await wait(ticket: ticket)
            // The slot was handed over; a task cancelled meanwhile gives it to the next waiter.
            if Task.isCancelled {
                leave()
                throw CancellationError()
            }
        }
    }

    private func wait(ticket: Int) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    guard state.unqueued.remove(ticket) != nil else { return .failure(CancellationError()) }
                    // A slot may have freed between admission and here.
                    if state.running < limit, state.waiting.isEmpty {
                        state.running += 1
                        return .success(())
                    }
                    guard state.waiting.count < queueLength else { return .failure(busy) }
                    state.waiting.append(Waiter(ticket: ticket, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let index = state.waiting.firstIndex(where: { $0.ticket == ticket }) {
                    return state.waiting.remove(at: index)
                }
                state.unqueued.remove(ticket)  // not queued yet: it will not queue
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private var busy: TrainingError {
        TrainingError.resourceExhausted(
            "\(name) is busy: \(limit) calls are running and \(queueLength) waiting, the most this service takes at once. Retry in a few seconds."
        )
    }

    private func leave() {
        let next = state.withLock { state -> Waiter? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()  // the slot passes on; `running` stays
        }
        next?.continuation.resume()
    }
}
