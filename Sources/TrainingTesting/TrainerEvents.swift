import Synchronization

/// What happened to a test trainer's training runs, in order.
public final class TrainerEvents: Sendable {
    public enum Event: Sendable, Equatable {
        case started, cancelled, finished
    }

    private let events = Mutex<[Event]>([])
    private let changes = ChangeSignal()

    public init() {}

    public func record(_ event: Event) {
        events.withLock { $0.append(event) }
        changes.changed()
    }

    public var all: [Event] { events.withLock { $0 } }

    /// Waits until `event` happens (up to `timeout`, real time, so a broken test fails instead of
    /// hanging); true if it happened.
    public func wait(for event: Event, timeout: Duration) async throws -> Bool {
        try await changes.read(until: { $0 }, timeout: timeout) { all.contains(event) }
    }
}
