import ExampleServiceProto
import Foundation
import SwiftProtobuf
import GRPCCore
import SNETTraining
import STTService
import Testing
import TrainingProto
import TrainingTesting

/// The example service for real: WAV clips in, words out, over gRPC.
@Suite("stt-service recognizes speech and trains on a consumer's recordings")
struct SpeechServiceTests {
    static let defaultDataset = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Sources/stt-service/DefaultDataset")

    static func clips(of word: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: defaultDataset.appending(path: word), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "wav" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func startSpeechServer() async throws -> LiveTrainingServer {
        try await LiveTrainingServer.start { configuration, logger in
            try await STTServer.make(configuration: configuration, defaultDataset: Self.defaultDataset, logger: logger)
        }
    }

    @Test("basic_stt and stt without a model id use the default ten-word model")
    func defaultModel() async throws {
        let server = try await startSpeechServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let service = Service_ExampleService.Client(wrapping: grpc)
            let clip = try Data(contentsOf: try #require(try Self.clips(of: "stop").first))
            #expect(try await service.basic_stt(.with { $0.speech = clip }).result == "stop")
            #expect(try await service.stt(.with { $0.speech = clip }).result == "stop")
            await expectRPCError(.invalidArgument) { _ = try await service.basic_stt(.with { $0.speech = Data("not audio".utf8) }) }
            await expectRPCError(.invalidArgument) { _ = try await service.basic_stt(.with { $0.speech = Data() }) }
        }
        try await server.stop()
    }

    @Test("a model trained on some voices recognizes voices it never heard")
    func trainAndRecognize() async throws {
        let scratch = try ScratchDirectory()
        let words = ["left", "right", "go"]
        var training: [String: Data] = [:]
        var heldOut: [(word: String, clip: URL)] = []
        for word in words {
            let clips = try Self.clips(of: word)
            for (index, clip) in clips.enumerated() {
                if index % 4 == 3 {
                    heldOut.append((word, clip))
                } else {
                    training["\(word)/\(clip.lastPathComponent)"] = try Data(contentsOf: clip)
                }
            }
        }
        let archive = scratch.url.appending(path: "commands.zip")
        try ArchiveBuilder.zip(training, at: archive)

        let server = try await startSpeechServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let service = Service_ExampleService.Client(wrapping: grpc)
            let id = try await client.createModel()
            _ = try await SDKUpload.upload(file: archive, modelID: id, client: client)
            #expect(try await client.waitWhileBusy(id, timeout: .seconds(120)) == .validated)
            _ = try await client.train(id)
            #expect(try await client.waitWhileBusy(id, timeout: .seconds(120)) == .readyToUse)
            var correct = 0
            for (word, clip) in heldOut {
                let answer = try await service.stt(
                    .with {
                        $0.modelID = .with { $0.modelID = id }
                        $0.speech = try Data(contentsOf: clip)
                    })
                #expect(words.contains(answer.result) || answer.result.isEmpty, "an answer is a trained word, or empty for a refused clip")
                if answer.result == word { correct += 1 }
            }
            let accuracy = Double(correct) / Double(heldOut.count)
            #expect(accuracy >= 0.8, "held-out accuracy \(correct)/\(heldOut.count)")
        }
        try await server.stop()
    }

    @Test("a dataset with broken clips ends ERRORED naming them")
    func brokenClips() async throws {
        let scratch = try ScratchDirectory()
        let good = try Data(contentsOf: try #require(try Self.clips(of: "yes").first))
        let archive = scratch.url.appending(path: "broken.zip")
        try ArchiveBuilder.zip(["yes/a.wav": good, "no/b.wav": Data("garbage".utf8)], at: archive)
        let server = try await startSpeechServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let (_, detail) = try await TrainingClient(wrapping: grpc).rejectedModel(archive: archive)
            #expect(detail.contains("no/b.wav"), "detail: \(detail)")
        }
        try await server.stop()
    }
}
