import Logging
import Synchronization
import Testing
import TrainingOperations
import TrainingTesting

/// The registry probe's interval and timeout on a test clock: an outage is noticed when the
/// timeout passes, and recovery at the next probe, without waiting for either.
@Suite("Registry health probe")
struct RegistryProbeTests {
    /// A probe that hangs until cancelled while the registry is "down", and answers once it is up.
    final class Registry: Sendable {
        let up = Atomic<Bool>(false)

        func probe() async throws {
            guard !up.load(ordering: .relaxed) else { return }
            let (never, _) = AsyncStream<Void>.makeStream()
            for await _ in never {}
            try Task.checkCancellation()
        }
    }

    @Test("a probe unanswered within its timeout makes health NOT_SERVING; the next answer, an interval later, SERVING again")
    func outageAndRecovery() async throws {
        let clock = TestClock()
        let health = HealthStatus()
        let registry = Registry()
        let probe = RegistryHealthProbe(
            health: health, interval: .seconds(5), timeout: .seconds(2), clock: clock, logger: Logger(label: "probe-test"),
            probe: registry.probe
        )
        var states = health.changes().makeAsyncIterator()
        #expect(await states.next() == true)
        let running = Task { try await probe.run() }
        defer { running.cancel() }

        #expect(try await clock.waitForSleepers(sleepingFor: .seconds(2)), "the first probe's timeout is set")
        clock.advance(by: .seconds(2))
        #expect(await states.next() == false)
        #expect(health.reasons == [.registryUnreachable])

        #expect(try await clock.waitForSleepers(sleepingFor: .seconds(5)), "the next probe is due in an interval")
        registry.up.store(true, ordering: .relaxed)
        clock.advance(by: .seconds(5))
        #expect(await states.next() == true)
        #expect(health.isServing)
    }
}
