import Synchronization

/// What happened to a test trainer's training runs, in order.
public final class TrainerEvents: Sendable {
    public enum Event: Sendable, Equatable {
        case started, cancelled, finished
    }

    private let events = Mutex<[Event]>([])

    public init() {}

    public func record(_ event: Event) { events.withLock { $0.append(event) } }

    public var all: [Event] { events.withLock { $0 } }

    /// Waits up to `timeout` for `event`; true if it happened.
    public func wait(for event: Event, timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if all.contains(event) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return all.contains(event)
    }
}
