import Synchronization

/// A clock that moves only when a test says so: code that sleeps on it (the job runner's
/// heartbeat, poll and time limit, an upload's idle timeout, a link's download timeout) wakes when
/// ``advance(by:)`` passes its deadline, so tests move time instead of waiting for it, and a test
/// that must not depend on a timer can leave it still.
///
/// ```swift
/// let clock = TestClock()
/// let runner = JobRunner(registry: registry, handler: handler, sleeper: clock, logger: logger)
/// clock.advance(by: .seconds(1))   // one heartbeat
/// ```
public final class TestClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        fileprivate var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Sleeper] = []
        /// Sleeps cancelled before they were registered.
        var unregistered: Set<Int> = []
    }

    private let state = Mutex(State())
    private let registrations = ChangeSignal()

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// Tasks sleeping on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            state.nextID += 1
            state.unregistered.insert(state.nextID)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    guard state.unregistered.remove(id) != nil else { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) } else { registrations.changed() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) { return state.sleepers.remove(at: index) }
                state.unregistered.remove(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
            registrations.changed()
        }
    }

    /// Waits until exactly `count` tasks sleep until `duration` from now: the timer a test means to
    /// fire, told apart from the others by its length, is set (or, with 0, the previous one is
    /// gone). `timeout` (real time) only ends a test that would otherwise hang; false if it passed.
    public func waitForSleepers(sleepingFor duration: Duration, count: Int = 1, timeout: Duration = .seconds(30)) async throws -> Bool {
        let found = try await registrations.read(until: { $0 == count }, timeout: timeout) {
            state.withLock { state in state.sleepers.count { $0.deadline == state.now.advanced(by: duration) } }
        }
        return found == count
    }

    /// Waits until a task sleeps on this clock, then moves time on to the earliest deadline, waking
    /// whoever sleeps until then: steps code that waits on the clock one wait at a time. False if
    /// no task slept within `timeout` (real time).
    public func advanceToNextDeadline(timeout: Duration = .seconds(30)) async throws -> Bool {
        let sleeping = try await registrations.read(until: { $0 > 0 }, timeout: timeout) { sleeperCount }
        guard sleeping > 0 else { return false }
        let step = state.withLock { state in state.sleepers.map(\.deadline).min().map { state.now.duration(to: $0) } }
        advance(by: step ?? .zero)
        return true
    }

    /// Moves time on by `duration`, waking every sleeper whose deadline it reaches.
    public func advance(by duration: Duration) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }
}
