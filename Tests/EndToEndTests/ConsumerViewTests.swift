import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

/// What a consumer behind the daemon sees: the daemon's `get_model` keeps only the status of
/// `get_model_status` (no trailers, no detail), so the reason a model is ERRORED reaches the
/// consumer only in the errors of the calls it makes next. These tests read nothing else.
@Suite("The consumer's view through the daemon")
struct ConsumerViewTests {
    /// The status alone, as the daemon keeps it.
    static func status(_ client: TrainingClient, _ id: String) async throws -> Training_Status {
        try await client.get_model_status(.with { $0.modelID = id }).status
    }

    /// Polls the status alone until the model leaves VALIDATING/TRAINING.
    static func settled(_ client: TrainingClient, _ id: String) async throws -> Training_Status {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let status = try await status(client, id)
            if status != .validating && status != .training { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("model \(id) still busy")
        return try await status(client, id)
    }

    @Test(
        "a bad dataset, then a good one: the reason arrives in the errors of both price calls, validate_model and train_model; the upload brings the model back"
    )
    func lifecycle() async throws {
        let scratch = try ScratchDirectory()
        let bad = scratch.file("one-label.zip")
        try ArchiveBuilder.zip(["only/1.txt": Data("hello".utf8), "only/2.txt": Data("world".utf8)], at: bad)
        let good = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: good)
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            #expect(try await Self.status(client, id) == .created)

            // A dataset whose content only validation can judge: the upload is accepted, the status turns ERRORED.
            _ = try await client.validationPrice(id)
            #expect(try await SDKUpload.upload(file: bad, modelID: id, client: client).status == .validating)
            #expect(try await Self.settled(client, id) == .errored)
            for (call, body) in [
                ("validate_model_price", { _ = try await client.validationPrice(id) }),
                ("validate_model", { _ = try await client.validate_model(.with { $0.modelID = id }) }),
                ("train_model_price", { _ = try await client.trainingPrice(id) }),
                ("train_model", { _ = try await client.train(id) }),
            ] as [(String, () async throws -> Void)] {
                let message = await expectRPCError(.failedPrecondition, body)
                #expect(message.contains("Model '\(id)' is ERRORED: "), "\(call): \(message)")
                #expect(message.contains("at least two label folders"), "\(call): the trainer's reason: \(message)")
                #expect(message.contains("upload a corrected dataset to this model"), "\(call): what to do: \(message)")
                #expect(message.contains("an upload costs 1 cog"), "\(call): the upload's price: \(message)")
                #expect(message.contains("create a new model"), "\(call): the other way: \(message)")
                #expect(message.utf8.count < 1200, "\(call): bounded: \(message.utf8.count) bytes")
                #expect(try await Self.status(client, id) == .errored, "\(call) changed nothing")
            }

            // The way back: an upload (snet-sdk's takes the price as an argument, so it asks no price first).
            #expect(try await SDKUpload.upload(file: good, modelID: id, client: client).status == .validating)
            #expect(try await Self.settled(client, id) == .validated)
            _ = try await client.validationPrice(id)
            _ = try await client.trainingPrice(id)
            #expect(try await client.train(id) == .training)
            #expect(try await Self.settled(client, id) == .readyToUse)
        }
        try await server.stop()
    }

    @Test("an ERRORED model refuses validation by link with the reason; a new model takes the link")
    func linkOnErroredModel() async throws {
        let scratch = try ScratchDirectory()
        let root = scratch.file("links")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ArchiveBuilder.textDataset(at: root.appending(path: "texts.zip"))
        let server = try await startTextServer { $0.links.fileLinkRoot = root }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let notAnArchive = scratch.file("notes.zip")
            try Data(repeating: UInt8(ascii: "x"), count: 4096).write(to: notAnArchive)
            await expectRPCError(.invalidArgument) { _ = try await SDKUpload.upload(file: notAnArchive, modelID: id, client: client) }
            #expect(try await Self.status(client, id) == .errored)
            let link = root.appending(path: "texts.zip").absoluteString
            let priced = await expectRPCError(.failedPrecondition) { _ = try await client.validationPrice(id, link: link) }
            #expect(priced.contains("is not a zip, tar or tar.gz archive"), "\(priced)")
            let validated = await expectRPCError(.failedPrecondition) {
                _ = try await client.validate_model(
                    .with {
                        $0.modelID = id; $0.trainingDataLink = link
                    })
            }
            #expect(validated.contains("is not a zip, tar or tar.gz archive"), "\(validated)")
            #expect(try await Self.status(client, id) == .errored)

            let fresh = try await client.createModel()
            _ = try await client.validationPrice(fresh, link: link)
            #expect(
                try await client.validate_model(
                    .with {
                        $0.modelID = fresh; $0.trainingDataLink = link
                    }
                ).status == .validating)
            #expect(try await Self.settled(client, fresh) == .validated)
        }
        try await server.stop()
    }

    @Test(
        "a problem the first upload message shows ends the stream with the reason and leaves the model ERRORED with it",
        arguments: ["not an archive", "over dataset_max_size_mb", "type not in dataset_type"]
    )
    func refusedWhileStreaming(variant: String) async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            var first = Training_UploadInput.with {
                $0.modelID = id; $0.data = Data(repeating: UInt8(ascii: "x"), count: 1 << 20); $0.fileName = "d.zip"
                $0.fileSize = 2 << 20; $0.batchSize = 1 << 20; $0.batchNumber = 1; $0.batchCount = 2
            }
            let code: RPCError.Code
            let reason: String
            switch variant {
            case "not an archive":
                (code, reason) = (.invalidArgument, "is not a zip, tar or tar.gz archive (its first bytes show it)")
            case "over dataset_max_size_mb":
                first.data = Data([0x50, 0x4B, 0x03, 0x04]) + Data(count: (1 << 20) - 4)
                first.fileSize = 300 << 20
                first.batchCount = 300
                (code, reason) = (.resourceExhausted, "dataset_max_size_mb")
            default:
                first.fileName = "d.rar"
                (code, reason) = (.invalidArgument, "is not an accepted dataset type")
            }
            // The rest of the stream never has to be sent: the refusal arrives after the first message.
            let opening = first
            let message = await expectRPCError(code) {
                _ = try await client.upload_and_validate { writer in
                    try await writer.write(opening)
                    try await Task.sleep(for: .seconds(30))
                }
            }
            #expect(message.contains(reason), "\(message)")
            #expect(try await Self.status(client, id) == .errored)
            let explained = await expectRPCError(.failedPrecondition) { _ = try await client.trainingPrice(id) }
            #expect(explained.contains(reason), "\(explained)")
        }
        try await server.stop()
    }
}
