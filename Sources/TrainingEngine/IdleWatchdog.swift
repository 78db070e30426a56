import Synchronization

/// Notices when a stream has been silent for `timeout` on `clock`: the reader ``touch()``es it on
/// every message; ``expire()`` returns once a whole `timeout` has passed without one.
final class IdleWatchdog<C: Clock<Duration>>: Sendable {
    let timeout: Duration
    private let clock: C
    private let lastActivity: Mutex<C.Instant>

    init(timeout: Duration, clock: C) {
        self.timeout = timeout
        self.clock = clock
        self.lastActivity = Mutex(clock.now)
    }

    func touch() {
        let now = clock.now
        lastActivity.withLock { $0 = now }
    }

    /// Sleeps until the stream has been idle for `timeout`; throws CancellationError if cancelled.
    func expire() async throws {
        while true {
            let deadline = lastActivity.withLock { $0 }.advanced(by: timeout)
            if clock.now >= deadline { return }
            try await clock.sleep(until: deadline, tolerance: nil)
        }
    }

    var timeoutDescription: String {
        let seconds = timeout.components.seconds
        return seconds == 1 ? "1 second" : "\(seconds) seconds"
    }
}
