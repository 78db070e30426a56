import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

@Suite("Quotas, server-wide caps and the default model's protections, over gRPC")
struct QuotaTests {
    static let stt = MethodName(service: "service.ExampleService", method: "stt")

    @Test(
        "max_models_per_user from the proto (5): exactly 5 models per address, the 6th is RESOURCE_EXHAUSTED naming the limit"
    )
    func protoQuota() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            // The same address in any case counts as one.
            let spellings = [
                Addresses.alice, Addresses.alice.lowercased(),
                Addresses.alice.uppercased().replacingOccurrences(of: "0X", with: "0x"),
            ]
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await client.createModel(addresses: [spellings[index % 3]])) }
            let message = await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(addresses: [Addresses.alice])
            }
            #expect(message.contains("max_models_per_user = 5") && message.contains(Addresses.alice.lowercased()))
            // Listed beside another address, the full one still refuses the model.
            await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(addresses: [
                    Addresses.bob, Addresses.alice.uppercased().replacingOccurrences(of: "0X", with: "0x"),
                ])
            }
            // Other addresses are not affected, and the refused calls stored nothing.
            _ = try await client.createModel(addresses: [Addresses.bob])
            // A deleted model frees its slot.
            _ = try await client.delete(ids[0])
            _ = try await client.createModel(addresses: [Addresses.alice])
            await expectRPCError(.resourceExhausted) { _ = try await client.createModel(addresses: [Addresses.alice]) }
        }
        try await server.stop()
    }

    @Test("the caller's snet-user-address counts like an address_list entry")
    func callerCounts() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            for _ in 0..<3 { _ = try await client.createModel(metadata: caller(Addresses.carol)) }
            for _ in 0..<2 {
                _ = try await client.createModel(addresses: [
                    Addresses.carol.uppercased().replacingOccurrences(of: "0X", with: "0x")
                ])
            }
            await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(metadata: caller(Addresses.carol))
            }
            await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(addresses: [Addresses.bob], metadata: caller(Addresses.carol))
            }
            // Without any address there is nobody to count against: not enforceable, so allowed.
            for _ in 0..<6 { _ = try await client.createModel() }
        }
        try await server.stop()
    }

    @Test("the configuration can replace the proto's quota", arguments: [(UInt64(2), 2), (0, 8)])
    func configuredQuota(limit: UInt64, allowed: Int) async throws {
        let server = try await startTextServer { $0.policies[Self.stt].maxModelsPerUser = limit }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            for _ in 0..<allowed { _ = try await client.createModel(addresses: [Addresses.alice]) }
            if limit > 0 {
                let message = await expectRPCError(.resourceExhausted) {
                    _ = try await client.createModel(addresses: [Addresses.alice])
                }
                #expect(message.contains("max_models_per_user = \(limit)"))
            }
        }
        try await server.stop()
    }

    @Test("server-wide cap on live models: RESOURCE_EXHAUSTED at the cap, room again after a delete")
    func liveModelCap() async throws {
        let server = try await startTextServer { $0.limits.maxLiveModels = 3 }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let first = try await client.createModel()
            _ = try await client.createModel(addresses: [Addresses.alice])
            _ = try await client.createModel(addresses: [Addresses.bob])
            let message = await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(addresses: [Addresses.carol])
            }
            #expect(message.contains("3"))
            _ = try await client.delete(first)
            _ = try await client.createModel(addresses: [Addresses.carol])
        }
        try await server.stop()
    }

    @Test("server-wide cap on pending jobs: train, upload and validate are refused while the queue is full")
    func pendingJobCap() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let server = try await startTextServer(trainer: TextLabelTrainer(trainingDelay: .seconds(3))) {
            $0.limits.maxPendingJobs = 1
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let busy = try await client.validatedModel(archive: archive)
            let waiting = try await client.validatedModel(archive: archive)
            #expect(try await client.train(busy) == .training)

            let message = await expectRPCError(.resourceExhausted) { _ = try await client.train(waiting) }
            #expect(message.contains("1") && message.contains("Try again"))
            await expectRPCError(.resourceExhausted) {
                _ = try await SDKUpload.upload(file: archive, modelID: waiting, client: client)
            }
            await expectRPCError(.resourceExhausted) {
                _ = try await client.validate_model(.with { $0.modelID = waiting })
            }
            // Refused calls changed nothing.
            #expect(try await client.status(waiting) == .validated)

            #expect(try await client.waitWhileBusy(busy) == .readyToUse)
            #expect(try await client.train(waiting) == .training)
            #expect(try await client.waitWhileBusy(waiting) == .readyToUse)
        }
        try await server.stop()
    }

    @Test("the default model id cannot be deleted, trained, validated or uploaded to, and never counts towards a quota")
    func defaultModel() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let server = try await startTextServer { $0.policies[Self.stt].maxModelsPerUser = 1 }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let service = ExampleClient(wrapping: grpc)
            for call in ["delete", "train", "validate", "upload"] {
                let message = await expectRPCError(.failedPrecondition) {
                    switch call {
                    case "delete": _ = try await client.delete("default")
                    case "train": _ = try await client.train("default")
                    case "validate": _ = try await client.validate_model(.with { $0.modelID = "default" })
                    default: _ = try await SDKUpload.upload(file: archive, modelID: "default", client: client)
                    }
                }
                #expect(message.contains("default model") && message.contains(call), "\(call): \(message)")
            }
            // Still there, for everyone, and Alice's one model is still free to create.
            #expect(try await service.label("anything", model: "default", from: Addresses.alice) == "default")
            #expect(try await service.label("anything", model: "", from: nil) == "default")
            _ = try await client.createModel(addresses: [Addresses.alice])
            await expectRPCError(.resourceExhausted) { _ = try await client.createModel(addresses: [Addresses.alice]) }
        }
        try await server.stop()
    }
}
