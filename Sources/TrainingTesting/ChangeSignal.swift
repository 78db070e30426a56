import Synchronization

/// Lets a test wait for the next change of something it reads (a model's status, a trainer's
/// events) instead of polling on a timer: whoever changes it calls ``changed()``, and
/// ``read(until:timeout:_:)`` reads again after each change.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes every reader waiting for a change.
    public func changed() {
        let waiters = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Reads until `done` holds, reading again after each change, and returns the last read. The
    /// `timeout` (real time) only bounds a test that would otherwise hang: a read that never
    /// satisfies `done` is returned once it passes.
    public func read<Value>(
        until done: (Value) -> Bool, timeout: Duration, _ read: () async throws -> Value
    ) async throws -> Value {
        let deadline = ContinuousClock.now + timeout
        let alarm = Task { [weak self] in
            try await Task.sleep(until: deadline)
            self?.changed()
        }
        defer { alarm.cancel() }
        while true {
            let generation = state.withLock { $0.generation }
            let value = try await read()
            if done(value) || ContinuousClock.now >= deadline { return value }
            await withCheckedContinuation { continuation in
                let changedMeanwhile = state.withLock { state in
                    guard state.generation == generation else { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if changedMeanwhile { continuation.resume() }
            }
        }
    }
}
