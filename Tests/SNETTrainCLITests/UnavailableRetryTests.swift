import GRPCCore
import Synchronization
import Testing
import TrainingClient
import TrainingTesting

/// snet-train's `--wait-for-server` (waiting for a server to answer, and `call` retrying a service
/// still starting behind the endpoint): UNAVAILABLE is tried again every 500 ms until the limit;
/// the waits pass on a test clock.
@Suite("Retrying UNAVAILABLE")
struct UnavailableRetryTests {
    /// A call that fails with `errors` in turn, then answers with the number of calls made.
    final class Scripted: Sendable {
        let errors: Mutex<[RPCError]>
        let calls = Mutex(0)

        init(_ errors: [RPCError]) { self.errors = Mutex(errors) }

        func call() throws -> Int {
            let count = calls.withLock { calls in
                calls += 1
                return calls
            }
            if let error = errors.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw error }
            return count
        }
    }

    static let unavailable = RPCError(code: .unavailable, message: "starting")

    @Test("UNAVAILABLE is tried again every 500 ms, no sooner, until an answer")
    func retriesUntilAnswered() async throws {
        let clock = TestClock()
        let service = Scripted([Self.unavailable, Self.unavailable])
        let retrying = Task { try await retryingUnavailable(for: .seconds(10), clock: clock) { try service.call() } }
        for calls in 1...2 {
            #expect(try await clock.waitForSleepers(sleepingFor: .milliseconds(500)))
            #expect(service.calls.withLock { $0 } == calls)
            clock.advance(by: .milliseconds(499))
            #expect(service.calls.withLock { $0 } == calls, "no call before 500 ms")
            clock.advance(by: .milliseconds(1))
        }
        #expect(try await retrying.value == 3)
    }

    @Test("past the limit, the last UNAVAILABLE error is thrown; no wait overshoots the limit")
    func givesUpAtTheLimit() async throws {
        let clock = TestClock()
        let service = Scripted(Array(repeating: Self.unavailable, count: 10))
        let retrying = Task { try await retryingUnavailable(for: .seconds(2), clock: clock) { try service.call() } }
        // Calls at 0, 0.5, 1 and 1.5 s; a fifth, at 2 s, would be past the limit.
        for _ in 1...3 {
            #expect(try await clock.waitForSleepers(sleepingFor: .milliseconds(500)))
            clock.advance(by: .milliseconds(500))
        }
        // A fourth wait would outlast the limit; cancelling ends one (with CancellationError, not
        // the call's error) instead of leaving the test hanging on it.
        retrying.cancel()
        await #expect(throws: RPCError.self) { try await retrying.value }
        #expect(service.calls.withLock { $0 } == 4)
        #expect(clock.sleeperCount == 0)
    }

    @Test("any other error, and UNAVAILABLE with no time to wait, end at the first call")
    func otherErrorsEndAtOnce() async throws {
        let clock = TestClock()
        let denied = Scripted([RPCError(code: .permissionDenied, message: "no")])
        await #expect(throws: RPCError.self) { try await retryingUnavailable(for: .seconds(10), clock: clock) { try denied.call() } }
        #expect(denied.calls.withLock { $0 } == 1)
        let down = Scripted([Self.unavailable])
        await #expect(throws: RPCError.self) { try await retryingUnavailable(for: .zero, clock: clock) { try down.call() } }
        #expect(down.calls.withLock { $0 } == 1)
    }
}
