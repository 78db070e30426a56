import ExampleServiceProto
import Foundation
import SwiftProtobuf
import GRPCCore
import SNETTraining
import Testing
import TrainingProto
import TrainingTesting

@Suite("Restarts and cancellation lose nothing and strand no model")
struct RestartTests {
    @Test("a READY_TO_USE model survives a restart on the same data directory")
    func restartKeepsModels() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let first = try await startTextServer()
        defer { first.removeData() }
        let id = try await first.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            _ = try await client.train(id)
            #expect(try await client.waitWhileBusy(id) == .readyToUse)
            return id
        }
        let created = try await first.withClient { try await TrainingClient(wrapping: $0).createModel(name: "untouched") }
        try await first.stop()

        let second = try await startTextServer(dataDirectory: first.dataDirectory)
        try await second.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            #expect(try await client.status(id) == .readyToUse)
            #expect(try await client.status(created) == .created)
            let answer = try await Service_ExampleService.Client(wrapping: grpc).stt(
                .with {
                    $0.modelID = .with { $0.modelID = id }
                    $0.speech = Data("cat".utf8)
                })
            #expect(answer.result == "animals")
        }
        try await second.stop()
    }

    @Test("training interrupted by a shutdown is re-queued at the next start and completes")
    func interruptedTrainingResumes() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let slow = try await startTextServer(trainer: TextLabelTrainer(trainingDelay: .seconds(60)))
        defer { slow.removeData() }
        let id = try await slow.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            #expect(try await client.train(id) == .training)
            try await Task.sleep(for: .milliseconds(500))
            return id
        }
        try await slow.stop()  // the job is cut off mid-training

        let restarted = try await startTextServer(dataDirectory: slow.dataDirectory)
        try await restarted.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let status = try await client.waitWhileBusy(id, timeout: .seconds(30))
            #expect(status == .readyToUse)
        }
        try await restarted.stop()
    }

    @Test("graceful restarts in the middle of training do not use up the job's attempts")
    func restartsDoNotCountAsFailures() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let data = scratch.url.appending(path: "data")
        var id = ""
        // More restarts than JobRunnerConfiguration.maxAttempts (3), each while the job runs. The
        // lease is long: on a loaded machine a late heartbeat past the tests' usual 3 s lease lets the
        // node's own recovery re-queue its running job, which rightly counts an attempt.
        let longLease: (inout TrainingServerConfiguration) -> Void = { $0.jobs.lease = .seconds(20) }
        for round in 0..<4 {
            let slow = try await startTextServer(
                dataDirectory: data, trainer: TextLabelTrainer(trainingDelay: .seconds(60)), configure: longLease)
            try await slow.withClient { grpc in
                let client = TrainingClient(wrapping: grpc)
                if round == 0 {
                    id = try await client.validatedModel(archive: archive)
                    _ = try await client.train(id)
                }
                try await Task.sleep(for: .milliseconds(600))
                #expect(try await client.status(id) == .training, "round \(round)")
            }
            try await slow.stop()
        }
        let fast = try await startTextServer(dataDirectory: data, configure: longLease)
        try await fast.withClient { grpc in
            let status = try await TrainingClient(wrapping: grpc).waitWhileBusy(id, timeout: .seconds(30))
            #expect(status == .readyToUse)
        }
        try await fast.stop()
    }

}
