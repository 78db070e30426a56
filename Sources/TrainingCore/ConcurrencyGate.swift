import Synchronization

/// Admits at most `limit` callers at once and queues at most `queueLength` more; a caller beyond
/// that is refused at once with RESOURCE_EXHAUSTED, so overload is answered, never waited out.
/// Slots pass from a leaving caller straight to the longest waiting one.
public final class ConcurrencyGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    public let limit: Int
    public let queueLength: Int
    private let name: String
    private let state = Mutex(State())

    /// `name` says what is busy in the refusal ("stt").
    public init(name: String, limit: Int, queueLength: Int) {
        self.name = name
        self.limit = max(1, limit)
        self.queueLength = max(0, queueLength)
    }

    /// Runs `body` once a slot is free.
    public func withSlot<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        try await enter()
        defer { leave() }
        return try await body()
    }

    /// Calls running and waiting now.
    public var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.waiting.count) }
    }

    private func enter() async throws {
        enum Admission { case now, queued, refused }
        var admission = Admission.refused
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            admission = state.withLock { state in
                if state.running < limit {
                    state.running += 1
                    return .now
                }
                if state.waiting.count < queueLength {
                    state.waiting.append(continuation)
                    return .queued
                }
                return .refused
            }
            if admission != .queued { continuation.resume() }
        }
        if admission == .refused {
            throw TrainingError.resourceExhausted(
                "\(name) is busy: \(limit) calls are running and \(queueLength) waiting, the most this service takes at once. Retry in a few seconds."
            )
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()  // the slot passes on; `running` stays
        }
        next?.resume()
    }
}
