import Synchronization

/// Wakes the runner's loop early: when a job is queued on this node or a slot frees up. Without it
/// the loop would find new work only at its next poll.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns on a signal, after `timeout` on `clock`, or on cancellation. One waiter at a time.
    func wait(timeout: Duration, clock: any Clock<Duration>) async {
        let wasPending = state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        if wasPending { return }
        let timer = Task { [weak self] in
            try? await clock.sleep(for: timeout)
            self?.signal()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.signal()
        }
        timer.cancel()
    }
}
