import Synchronization

/// Notices when a stream has been silent for `timeout`: the reader ``touch()``es it on every
/// message; ``expire()`` returns once a whole `timeout` has passed without one.
final class IdleWatchdog: Sendable {
    let timeout: Duration
    private let lastActivity: Mutex<ContinuousClock.Instant>

    init(timeout: Duration) {
        self.timeout = timeout
        self.lastActivity = Mutex(.now)
    }

    func touch() {
        lastActivity.withLock { $0 = .now }
    }

    /// Sleeps until the stream has been idle for `timeout`; throws CancellationError if cancelled.
    func expire() async throws {
        while true {
            let deadline = lastActivity.withLock { $0 } + timeout
            if ContinuousClock.now >= deadline { return }
            try await Task.sleep(until: deadline, clock: .continuous)
        }
    }

    var timeoutDescription: String {
        let seconds = timeout.components.seconds
        return seconds == 1 ? "1 second" : "\(seconds) seconds"
    }
}
