import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import STTService
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

@Suite("The shipped config/stt-service.yaml, over gRPC")
struct ShippedConfigurationTests {
    static var file: String {
        URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../config/stt-service.yaml")
            .standardizedFileURL.path(percentEncoded: false)
    }

    @Test("prices stt by dataset, enforces 5 models per user, restricts private models")
    func shipped() async throws {
        let configuration = try await STTServiceConfiguration.load(
            from: ConfigurationSources(filePath: Self.file, environment: [:], environmentPrefix: "STT_SERVICE")
        )
        #expect(configuration.speech.maxClipSeconds == 10)
        let loaded = configuration.loaded
        let scratch = try ScratchDirectory()
        let small = scratch.url.appending(path: "small.zip")
        try ArchiveBuilder.textDataset(at: small, filesPerLabel: 2, bytesPerFile: 100)
        let large = scratch.url.appending(path: "large.zip")
        try ArchiveBuilder.textDataset(at: large, filesPerLabel: 50, bytesPerFile: 15_000)

        let server = try await startTextServer {
            $0.policies = loaded.server.policies
            $0.limits = loaded.server.limits
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let service = ExampleClient(wrapping: grpc)
            let id = try await client.createModel(addresses: [Addresses.alice])
            #expect(try await client.validationPrice(id) == 100)
            _ = try await SDKUpload.upload(file: small, modelID: id, client: client)
            #expect(try await client.waitWhileBusy(id) == .validated)
            let smallPrice = try await client.trainingPrice(id)
            #expect(smallPrice == 1_000 + 200 + 4 * 2)
            _ = try await SDKUpload.upload(file: large, modelID: id, client: client)
            #expect(try await client.waitWhileBusy(id) == .validated)
            // 100 files, 1 500 000 bytes: 2 MiB started.
            #expect(try await client.trainingPrice(id) == 1_000 + 2 * 200 + 100 * 2)

            _ = try await client.train(id)
            #expect(try await client.waitWhileBusy(id) == .readyToUse)
            #expect(try await service.label("rain", model: id, from: Addresses.alice) == "weather")
            await expectRPCError(.notFound) { _ = try await service.label("rain", model: id, from: Addresses.bob) }

            for _ in 0..<4 { _ = try await client.createModel(addresses: [Addresses.alice]) }
            let message = await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(addresses: [Addresses.alice])
            }
            #expect(message.contains("max_models_per_user = 5"))
        }
        try await server.stop()
    }
}
