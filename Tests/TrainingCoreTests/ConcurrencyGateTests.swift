import Synchronization
import Testing
import TrainingCore

/// The one gate that bounds inference and trainer runs: bounded queue, first come first served,
/// and a waiter that is cancelled (its deadline passed) leaves the queue and never runs.
@Suite("ConcurrencyGate")
struct ConcurrencyGateTests {
    @Test("past the running and waiting bound a caller is refused at once with RESOURCE_EXHAUSTED")
    func refusesPastTheQueue() async throws {
        let gate = ConcurrencyGate(name: "stt", limit: 1, queueLength: 1)
        let holder = SlotHolder(gate)
        try await holder.hold()
        let waiter = Task { try await gate.withSlot { "waited" } }
        try await waitUntil { gate.load == (1, 1) }

        let error = await #expect(throws: TrainingError.self) { try await gate.withSlot { "refused" } }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("stt is busy: 1 calls are running and 1 waiting") == true, "\(error?.message ?? "")")

        holder.release()
        #expect(try await waiter.value == "waited")
        #expect(gate.load == (0, 0))
    }

    @Test("a cancelled waiter leaves the queue at once and its body never runs")
    func cancelledWaiterNeverRuns() async throws {
        let gate = ConcurrencyGate(name: "stt", limit: 1, queueLength: 4)
        let holder = SlotHolder(gate)
        try await holder.hold()
        let record = Record()
        let expired = Task { [record] in try await gate.withSlot { record.ran(0) } }
        try await waitUntil { gate.load.waiting == 1 }

        expired.cancel()
        await #expect(throws: CancellationError.self) { try await expired.value }
        #expect(gate.load == (1, 0), "the cancelled waiter left the queue while the slot was still held")

        holder.release()
        #expect(try await gate.withSlot { "next" } == "next")
        #expect(record.order.isEmpty)
        #expect(gate.load == (0, 0))
    }

    @Test("a task cancelled before it asks is refused without queueing")
    func cancelledBeforeAsking() async throws {
        let gate = ConcurrencyGate(name: "stt", limit: 1, queueLength: 4)
        let record = Record()
        let task = Task { [record] in
            withUnsafeCurrentTask { $0?.cancel() }
            try await gate.withSlot { record.ran(0) }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(record.order.isEmpty)
        #expect(gate.load == (0, 0))
    }

    @Test("slots pass to waiters in arrival order; `waiting` is called once per queued caller")
    func firstComeFirstServed() async throws {
        let gate = ConcurrencyGate(name: "trainer", limit: 1, queueLength: .max)
        let holder = SlotHolder(gate)
        try await holder.hold()
        let record = Record()
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<3 {
            let waiter = Task { [record] in
                try await gate.withSlot(waiting: { record.told() }) { record.ran(index) }
            }
            waiters.append(waiter)
            try await waitUntil { gate.load.waiting == index + 1 }
        }
        holder.release()
        for waiter in waiters { try await waiter.value }
        #expect(record.order == [0, 1, 2])
        #expect(record.waitingCalls == 3)
        #expect(gate.load == (0, 0))
    }
}

/// Which waiters ran, in order, and how many were told they wait.
private final class Record: Sendable {
    private let state = Mutex<(order: [Int], told: Int)>(([], 0))
    func ran(_ index: Int) { state.withLock { $0.order.append(index) } }
    func told() { state.withLock { $0.told += 1 } }
    var order: [Int] { state.withLock { $0.order } }
    var waitingCalls: Int { state.withLock { $0.told } }
}

/// Holds one slot of a gate until released.
private final class SlotHolder: Sendable {
    private let gate: ConcurrencyGate
    private let entered = AsyncStream<Void>.makeStream()
    private let released = AsyncStream<Void>.makeStream()

    init(_ gate: ConcurrencyGate) { self.gate = gate }

    func hold() async throws {
        Task { [gate, entered, released] in
            try await gate.withSlot {
                entered.continuation.yield()
                for await _ in released.stream { break }
            }
        }
        for await _ in entered.stream { break }
    }

    func release() { released.continuation.yield() }
}

/// Yields until `condition` holds (a few scheduler turns; fails the test past a generous bound).
private func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<100_000 where !condition() { await Task.yield() }
    #expect(condition())
}
