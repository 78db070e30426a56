import ExampleServiceProto
import Foundation
import SwiftProtobuf
import GRPCCore
import SNETTraining
import Testing
import TrainingProto
import TrainingTesting
import TrainingCore

@Suite("The whole training lifecycle over gRPC on loopback")
struct LifecycleTests {
    @Test("create → upload → VALIDATED → train → READY_TO_USE → inference → delete")
    func wholeLifecycle() async throws {
        let scratch = try ScratchDirectory()
        let server = try await startTextServer()
        defer { server.removeData() }
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)

        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let service = Service_ExampleService.Client(wrapping: grpc)
            let id = try await client.createModel(addresses: ["0x00000000000000000000000000000000000000aa"])
            #expect(ModelIdentifier.isWellFormed(id))
            #expect(try await client.status(id) == .created)

            let price = try await client.validate_model_price(
                .with {
                    $0.modelID = id; $0.trainingDataLink = ""
                })
            #expect(price.price == 1)

            let uploaded = try await SDKUpload.upload(file: archive, modelID: id, client: client)
            #expect(uploaded.status == .validating)
            #expect(try await client.waitWhileBusy(id) == .validated)
            let (_, report) = try await client.statusWithDetail(id)
            #expect(report?.contains("2 labels") == true)

            #expect(try await client.train_model_price(.with { $0.modelID = id }).price == 1)
            #expect(try await client.train(id) == .training)
            #expect(try await client.waitWhileBusy(id) == .readyToUse)

            let answer = try await service.stt(
                .with {
                    $0.modelID = .with { $0.modelID = id }
                    $0.speech = Data("storm clouds and rain".utf8)
                })
            #expect(answer.result == "weather")
            let other = try await service.stt(
                .with {
                    $0.modelID = .with { $0.modelID = id }
                    $0.speech = Data("my dog and cat".utf8)
                })
            #expect(other.result == "animals")

            // The trained model has files on disk, so their removal below is observed.
            let folder = server.dataDirectory.appending(path: "models/\(id)").path(percentEncoded: false)
            #expect(FileManager.default.fileExists(atPath: folder))
            #expect(try await client.delete(id) == .deleted)
            #expect(!FileManager.default.fileExists(atPath: folder), "a deleted model's files must be removed")
            #expect(try await client.status(id) == .deleted)
            #expect(try await client.delete(id) == .deleted)
            await expectRPCError(.notFound) {
                _ = try await service.stt(
                    .with {
                        $0.modelID = .with { $0.modelID = id }; $0.speech = Data("rain".utf8)
                    })
            }
        }
        try await server.stop()
    }
}
