import Foundation
import GRPCCore
import Logging
import Synchronization
import Testing
import SNETTraining
import TrainingTesting

/// The idle trimmer on a clock the test moves: it trims once a whole idle time passes with no call
/// and no job, once per quiet spell; calls (to the end of their response stream) and running jobs
/// hold it off; health probes do not.
@Suite("Memory returned when the node goes idle")
struct IdleMemoryTrimmerTests {
    static let idle: Duration = .seconds(10)

    @Test("Trims once after a quiet idle time, not before, and again only after new activity")
    func trimsOncePerQuietSpell() async throws {
        try await withTrimmer { trimmer, clock, trims, _ in
            try await step(clock, by: .seconds(9))
            #expect(trims.count == 0, "9 s of 10: too early")
            try await step(clock, by: .seconds(1))
            #expect(trims.count == 1)
            try await step(clock, by: Self.idle)
            try await step(clock, by: Self.idle)
            #expect(trims.count == 1, "still the same quiet spell: nothing new to return")
            trimmer.touch()
            try await step(clock, by: Self.idle)
            #expect(trims.count == 1, "a call in the last idle time: not idle")
            try await step(clock, by: Self.idle)
            #expect(trims.count == 2)
        }
    }

    @Test("A running job keeps the node from trimming until it ends")
    func runningJobHoldsItOff() async throws {
        try await withTrimmer { _, clock, trims, jobs in
            jobs.set(true)
            for _ in 0..<3 { try await step(clock, by: Self.idle) }
            #expect(trims.count == 0)
            jobs.set(false)
            try await step(clock, by: Self.idle)
            #expect(trims.count == 0, "the job ran during this idle time")
            try await step(clock, by: Self.idle)
            #expect(trims.count == 1)
        }
    }

    @Test("A call counts until its response stream ends; a health probe does not count")
    func callsThroughTheInterceptor() async throws {
        try await withTrimmer { trimmer, clock, trims, _ in
            _ = try await call(trimmer, service: "grpc.health.v1.Health", method: "Check")
            try await step(clock, by: Self.idle)
            #expect(trims.count == 1, "health probes alone leave the node idle")

            let response = try await call(trimmer, service: "training.Model", method: "upload_and_validate")
            try await step(clock, by: Self.idle)
            try await step(clock, by: Self.idle)
            #expect(trims.count == 2, "the call started and returned its response: a new quiet spell followed")
            // The response stream is written out later, in a new idle time: that is activity too.
            let contents = try response.accepted.get()
            _ = try await contents.producer(RPCWriter(wrapping: DiscardingWriter<String>()))
            try await step(clock, by: Self.idle)
            #expect(trims.count == 2)
            try await step(clock, by: Self.idle)
            #expect(trims.count == 3)
        }
    }

    @Test("The configuration key sets the idle time; 0 turns trimming off")
    func configurationKey() async throws {
        for (value, expected) in [("30", Duration.seconds(30)), ("0", nil)] {
            let sources = ConfigurationSources(
                filePath: nil, environment: ["TEST_SERVER_MEMORY_TRIM_AFTER_IDLE_SECONDS": value], environmentPrefix: "TEST"
            )
            let loaded = try await sources.load(methods: [])
            #expect(loaded.server.memory.trimAfterIdleTime == expected)
        }
        #expect(TrainingServerConfiguration.defaults.memory.trimAfterIdleTime == .seconds(10))
    }

    @Test("The arena key caps malloc's arenas; 0 leaves glibc's limit; out of range stops start-up")
    func arenaKey() async throws {
        for (value, expected) in [("4", Optional(4)), ("0", nil)] {
            let sources = ConfigurationSources(
                filePath: nil, environment: ["TEST_SERVER_MEMORY_MALLOC_ARENAS": value], environmentPrefix: "TEST"
            )
            #expect(try await sources.load(methods: []).server.memory.mallocArenas == expected)
        }
        #expect(TrainingServerConfiguration.defaults.memory.mallocArenas == ProcessInfo.processInfo.activeProcessorCount)
        let negative = ConfigurationSources(
            filePath: nil, environment: ["TEST_SERVER_MEMORY_MALLOC_ARENAS": "-1"], environmentPrefix: "TEST"
        )
        let error = await #expect(throws: ConfigurationError.self) { try await negative.load(methods: []) }
        #expect(error?.problems.count == 1)
    }

    /// Runs a trimmer on a test clock with counted trims and a switch for "a job is running".
    private func withTrimmer(
        _ body: (IdleMemoryTrimmer, TestClock, TrimCounter, JobSwitch) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let trims = TrimCounter()
        let jobs = JobSwitch()
        let trimmer = IdleMemoryTrimmer(
            idleTime: Self.idle, clock: clock, jobsRunning: { jobs.isOn }, trim: { trims.add() },
            logger: Logger(label: "test")
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await trimmer.run() }
            try await waitForSleeper(clock)
            try await body(trimmer, clock, trims, jobs)
            group.cancelAll()
        }
    }

    /// Moves the clock on and waits until the trimmer has looked and gone back to sleep.
    private func step(_ clock: TestClock, by duration: Duration) async throws {
        clock.advance(by: duration)
        try await waitForSleeper(clock)
    }

    private func waitForSleeper(_ clock: TestClock) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while clock.sleeperCount == 0 {
            guard ContinuousClock.now < deadline else { throw TrimmerTestFailure() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// One call through the interceptor, answered by a handler that streams one message when asked.
    private func call(_ trimmer: IdleMemoryTrimmer, service: String, method: String) async throws -> StreamingServerResponse<String> {
        let descriptor = MethodDescriptor(fullyQualifiedService: service, method: method)
        return try await withServerContextRPCCancellationHandle { cancellation in
            let context = ServerContext(descriptor: descriptor, remotePeer: "test", localPeer: "test", cancellation: cancellation)
            return try await trimmer.intercept(request: StreamingServerRequest(single: ServerRequest(metadata: [:], message: "request")), context: context) {
                _, _ in
                StreamingServerResponse<String>(of: String.self) { writer in
                    try await writer.write("answer")
                    return [:]
                }
            }
        }
    }
}

private final class TrimCounter: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}

/// Whether a job is running, as the job runner would say.
private final class JobSwitch: Sendable {
    private let value = Mutex(false)
    func set(_ on: Bool) { value.withLock { $0 = on } }
    var isOn: Bool { value.withLock { $0 } }
}

private struct DiscardingWriter<Element: Sendable>: RPCWriterProtocol {
    func write(_ element: Element) async throws {}
    func write(contentsOf elements: some Sequence<Element>) async throws {}
}

private struct TrimmerTestFailure: Error, CustomStringConvertible {
    var description: String { "the trimmer did not go back to sleep within 30 s" }
}
