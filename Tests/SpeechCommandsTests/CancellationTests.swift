import SpeechCommands
import Synchronization
import Testing

@Suite("Training progress and cancellation")
struct CancellationTests {
    private static func smallDataset() throws -> SpeechCommandDataset {
        try ShippedDataset.dataset(of: ShippedDataset.clips().filter { ["en-us", "en-gb"].contains($0.voice) })
    }

    @Test("A task cancelled before training starts throws CancellationError")
    func cancelledBeforeStart() async throws {
        let dataset = try Self.smallDataset()
        let task = Task { try await SpeechCommandTrainer().train(on: dataset) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("A task cancelled part-way through throws CancellationError without finishing")
    func cancelledMidway() async throws {
        let dataset = try Self.smallDataset()
        let lastProgress = Mutex(0.0)
        let task = Task {
            try await SpeechCommandTrainer().train(on: dataset) { fraction in
                lastProgress.withLock { $0 = fraction }
                // Cancel from inside, at a known point, so the test does not race the trainer.
                if fraction >= 0.3 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        let last = lastProgress.withLock { $0 }
        #expect(last >= 0.3 && last < 0.5, "training stopped at \(last)")
    }

    @Test("Progress rises from 0 to 1")
    func progress() async throws {
        let reports = Mutex<[Double]>([])
        _ = try await SpeechCommandTrainer().train(on: Self.smallDataset()) { fraction in
            reports.withLock { $0.append(fraction) }
        }
        let values = reports.withLock { $0 }
        #expect(values.first == 0)
        #expect(values.last == 1)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
