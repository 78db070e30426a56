import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import STTService
import SwiftProtobuf
import Synchronization
import Testing
import TrainingProto
import TrainingTesting

/// Responsiveness under hostile load, over real gRPC: with both job slots training speech models and every
/// inference slot busy with the longest clips allowed, `get_model_status` from many pollers still
/// answers, every time, within its deadline (CPU-heavy work runs on executors of its own).
@Suite("A busy node keeps answering")
struct ResponsivenessTests {
    @Test("two trainings and maximal stt calls running: sixteen pollers, no error and no timeout (10 s)")
    func statusUnderLoad() async throws {
        let server = try await LiveTrainingServer.start(configure: { $0.jobs.concurrency = 2 }) { configuration, logger in
            try await STTServer.make(configuration: configuration, defaultDataset: SpeechServiceTests.defaultDataset, logger: logger)
        }
        defer { server.removeData() }
        let scratch = try ScratchDirectory()
        let dataset = scratch.file("words.zip")
        try ArchiveBuilder.zip(directory: SpeechServiceTests.defaultDataset, at: dataset)
        let longest = silentWAV(seconds: SpeechLimits.defaults.maxClipSeconds - 0.1, rate: 16_000, noise: true)
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let speech = Service_ExampleService.Client(wrapping: grpc)
            var ids: [String] = []
            for _ in 0..<2 {
                let id = try await client.createModel()
                _ = try await SDKUpload.upload(file: dataset, modelID: id, client: client)
                ids.append(id)
            }
            for id in ids { #expect(try await client.waitWhileBusy(id, timeout: .seconds(300)) == .validated) }
            let modelIDs = ids
            let seen = LoadTally()

            var options = CallOptions.defaults
            // Generous for a CI machine running every suite at once on two cores; a starved pool
            // would stall polls for the length of a training or of a 10 s clip's recognition.
            options.timeout = .seconds(10)
            let pollOptions = options
            try await withThrowingTaskGroup(of: Void.self) { group in
                // A training job runs for the whole window: each model is trained again once ready.
                for id in modelIDs {
                    group.addTask {
                        while !Task.isCancelled {
                            let status = try? await client.status(id)
                            if status == .validated || status == .readyToUse, (try? await client.train(id)) == .training {
                                seen.trainingsStarted.add(1, ordering: .relaxed)
                            }
                            try? await Task.sleep(for: .milliseconds(50))
                        }
                    }
                }
                for _ in 0..<4 {
                    group.addTask {
                        while !Task.isCancelled {
                            // Refusals (RESOURCE_EXHAUSTED at a full queue) are part of the load.
                            _ = try? await speech.stt(.with { $0.speech = longest })
                        }
                    }
                }
                try await Task.sleep(for: .seconds(1))  // both jobs running, inference slots full
                let until = ContinuousClock.now + .seconds(5)
                await withTaskGroup(of: Void.self) { pollers in
                    for caller in 0..<16 {
                        pollers.addTask {
                            var iteration = 0
                            while ContinuousClock.now < until {
                                do {
                                    let id = modelIDs[(caller + iteration) % modelIDs.count]
                                    _ = try await client.get_model_status(.with { $0.modelID = id }, options: pollOptions)
                                    seen.answered.add(1, ordering: .relaxed)
                                } catch {
                                    seen.failures.withLock { $0.append("\(error)") }
                                }
                                iteration += 1
                            }
                        }
                    }
                }
                group.cancelAll()
            }
            let failed = seen.failures.withLock { $0 }
            #expect(failed.isEmpty, "\(failed.count) status calls failed, first: \(failed.first ?? "")")
            #expect(seen.answered.load(ordering: .relaxed) > 16, "the pollers were answered")
            #expect(seen.trainingsStarted.load(ordering: .relaxed) >= 2, "both models were training")
        }
        try await server.stop()
    }
}

/// What the load saw, counted from many tasks.
private final class LoadTally: Sendable {
    let answered = Atomic<Int>(0)
    let trainingsStarted = Atomic<Int>(0)
    let failures = Mutex<[String]>([])
}
