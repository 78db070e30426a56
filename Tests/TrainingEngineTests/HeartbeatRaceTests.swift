import Foundation
import Synchronization
import Testing
import TrainingCore
import TrainingEngine
import TrainingTesting

/// Lands a heartbeat's progress write between the job reading the model and the job saving its
/// result, the first time a job finishes: the interleaving that used to lose results (the job's
/// compare-and-set failed, the job was treated as cancelled and ran again).
final class HeartbeatInterleaving: Sendable {
    let base = InMemoryModelRegistry()
    let interleaved = Mutex(0)
    let finishCalls = Mutex(0)

    var registry: ObservedModelRegistry {
        ObservedModelRegistry(base) { [self] model in
            finishCalls.withLock { $0 += 1 }
            if interleaved.withLock({ $0 }) == 0, var stored = try await base.model(id: model.id), stored.status.isBusy {
                try stored.report(progress: "Training: 99% done.", now: Date())
                try await base.save(stored, enqueueing: nil)
                interleaved.withLock { $0 += 1 }
            }
        }
    }
}

@Suite("Heartbeat and result")
struct HeartbeatRaceTests {
    @Test("a progress write landing just before the result is saved never loses the result or reruns the job")
    func progressBeforeResult() async throws {
        let race = HeartbeatInterleaving()
        let events = TrainerEvents()
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(events: events), registry: race.registry)
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let id = try await engine.createModel()
        _ = try await engine.upload(archive, to: id)
        let validated = try await engine.wait(id, until: [.validated, .errored])
        #expect(validated.status == .validated)
        #expect(race.interleaved.withLock { $0 } == 1, "the heartbeat write landed between read and save")

        _ = try await engine.workflow.train(id)
        let ready = try await engine.wait(id, until: [.readyToUse, .errored])
        #expect(ready.status == .readyToUse, "\(ready.statusDetail ?? "")")
        #expect(events.all.filter { $0 == .started }.count == 1, "training ran exactly once")
        #expect(try await engine.registry.pendingJobCount() == 0)
        #expect(race.finishCalls.withLock { $0 } >= 3, "the lost compare-and-set was retried")
    }
}
