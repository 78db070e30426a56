import ExampleServiceProto
import Foundation
import SwiftProtobuf
import GRPCCore
import SNETTraining
import Testing
import TrainingProto
import TrainingTesting

@Suite("Every error a consumer can cause has the right code and an actionable message")
struct ErrorCodeTests {
    static let unknownID = "0123456789abcdef0123456789abcdef"

    @Test("create_model rejects methods that are not trainable, naming the trainable ones")
    func createModelChecks() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            var message = await expectRPCError(.invalidArgument) { _ = try await client.createModel(service: "", method: "") }
            #expect(message.contains("service.ExampleService/stt"))
            message = await expectRPCError(.invalidArgument) { _ = try await client.createModel(method: "basic_stt") }
            #expect(message.contains("not a trainable method") && message.contains("service.ExampleService/stt"))
            await expectRPCError(.invalidArgument) { _ = try await client.createModel(service: "service.Other") }
            message = await expectRPCError(.invalidArgument) { _ = try await client.createModel(addresses: ["not-an-address"]) }
            #expect(message.contains("address_list[0]"))
            // The short service name is accepted when unambiguous.
            let id = try await client.createModel(service: "ExampleService")
            #expect(try await client.status(id) == .created)
        }
        try await server.stop()
    }

    @Test("unknown ids are NOT_FOUND on every model call")
    func unknownModel() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            for id in [Self.unknownID, "../../etc/passwd", ""] {
                await expectRPCError(.notFound) { _ = try await client.status(id) }
                await expectRPCError(.notFound) { _ = try await client.train(id) }
                await expectRPCError(.notFound) { _ = try await client.train_model_price(.with { $0.modelID = id }) }
                await expectRPCError(.notFound) { _ = try await client.validate_model_price(.with { $0.modelID = id }) }
                await expectRPCError(.notFound) { _ = try await client.delete(id) }
            }
        }
        try await server.stop()
    }

    @Test("train_model before validation is FAILED_PRECONDITION naming the status")
    func trainTooEarly() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let message = await expectRPCError(.failedPrecondition) { _ = try await client.train(id) }
            #expect(message.contains("CREATED"))
            await expectRPCError(.failedPrecondition) {
                _ = try await Service_ExampleService.Client(wrapping: grpc).stt(
                    .with {
                        $0.modelID = .with { $0.modelID = id }; $0.speech = Data("a".utf8)
                    })
            }
            let defaultMessage = await expectRPCError(.failedPrecondition) { _ = try await client.train("default") }
            #expect(defaultMessage.contains("default model"))
        }
        try await server.stop()
    }

    @Test("upload protocol violations are rejected and leave the model as it was")
    func uploadProtocol() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let other = try await client.createModel()
            func piece(_ number: UInt64, of count: UInt64, model: String = id, size: UInt64 = 8, name: String = "d.zip") -> Training_UploadInput {
                .with {
                    $0.modelID = model; $0.data = Data(repeating: 1, count: 4); $0.fileName = name
                    $0.fileSize = size; $0.batchSize = 4; $0.batchNumber = number; $0.batchCount = count
                }
            }
            // Each refusal must be the one its case provokes: its code and the words that name
            // the problem, so a different refusal with the same code does not pass.
            let cases: [(String, [Training_UploadInput], RPCError.Code, String)] = [
                ("empty stream", [], .invalidArgument, "stream was empty"),
                ("two models in one stream", [piece(1, of: 2), piece(2, of: 2, model: other)], .invalidArgument, "one model's dataset per stream"),
                ("skipped batch", [piece(1, of: 3, size: 12), piece(3, of: 3, size: 12)], .invalidArgument, "Expected batch_number 2 but got 3"),
                ("repeated batch", [piece(1, of: 2), piece(1, of: 2)], .invalidArgument, "Expected batch_number 2 but got 1"),
                ("short file", [piece(1, of: 2)], .invalidArgument, "ended after 4 of 8 bytes"),
                ("path in file name", [piece(1, of: 2, name: "../d.zip"), piece(2, of: 2, name: "../d.zip")], .invalidArgument, "contains a path"),
                ("unknown model", [piece(1, of: 2, model: Self.unknownID), piece(2, of: 2, model: Self.unknownID)], .notFound, "was not found"),
            ]
            for (name, messages, code, problem) in cases {
                let message = await expectRPCError(code) {
                    _ = try await client.upload_and_validate { writer in try await writer.write(contentsOf: messages) }
                }
                #expect(message.contains(problem), "\(name): \(message)")
                #expect(try await client.status(id) == .created, "\(name) must not change the model")
            }
        }
        let uploads = server.dataDirectory.appending(path: "models")
        let files = FileManager.default.enumerator(atPath: uploads.path(percentEncoded: false))?.allObjects as? [String] ?? []
        #expect(files.filter { $0.hasSuffix(".part") || $0.hasSuffix(".zip") }.isEmpty, "rejected uploads leave no file: \(files)")
        try await server.stop()
    }

    @Test("a dataset the trainer rejects ends ERRORED with the reason in the status-detail trailer")
    func rejectedDataset() async throws {
        let scratch = try ScratchDirectory()
        let server = try await startTextServer()
        defer { server.removeData() }
        let archive = scratch.url.appending(path: "one-label.zip")
        try ArchiveBuilder.zip(["only/1.txt": Data("hello".utf8)], at: archive)
        let corrupt = scratch.url.appending(path: "corrupt.zip")
        try Data("this is not a zip archive at all".utf8).write(to: corrupt)
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let (id, detail) = try await client.rejectedModel(archive: archive)
            #expect(detail.contains("at least two label folders"), "detail: \(detail)")
            await expectRPCError(.failedPrecondition) { _ = try await client.train(id) }

            // Its first bytes already show it is no archive: refused while the stream flows.
            let refusal = await expectRPCError(.invalidArgument) {
                _ = try await SDKUpload.upload(file: corrupt, modelID: id, client: client)
            }
            #expect(refusal.contains("is not a zip, tar or tar.gz archive"), "\(refusal)")
            let (corruptStatus, corruptDetail) = try await client.statusWithDetail(id)
            #expect(corruptStatus == .errored)
            #expect(corruptDetail?.contains("archive") == true, "detail: \(corruptDetail ?? "nil")")
        }
        try await server.stop()
    }

    @Test("validate_model reads file:// links only inside the operator's directory")
    func fileLinks() async throws {
        let scratch = try ScratchDirectory()
        let root = scratch.url.appending(path: "links")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ArchiveBuilder.textDataset(at: root.appending(path: "texts.zip"))
        try ArchiveBuilder.textDataset(at: scratch.url.appending(path: "outside.zip"))

        let refusing = try await startTextServer()
        try await refusing.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let link = root.appending(path: "texts.zip").absoluteString
            await expectRPCError(.invalidArgument) {
                _ = try await client.validate_model(
                    .with {
                        $0.modelID = id; $0.trainingDataLink = link
                    })
            }
            await expectRPCError(.invalidArgument) {
                _ = try await client.validate_model(
                    .with {
                        $0.modelID = id; $0.trainingDataLink = ""
                    })
            }
            await expectRPCError(.invalidArgument) {
                _ = try await client.validate_model(
                    .with {
                        $0.modelID = id; $0.trainingDataLink = "ftp://x/y.zip"
                    })
            }
        }
        try await refusing.stop()
        refusing.removeData()

        let server = try await startTextServer { $0.links.fileLinkRoot = root }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let inside = try await client.validate_model(
                .with {
                    $0.modelID = id; $0.trainingDataLink = root.appending(path: "texts.zip").absoluteString
                })
            #expect(inside.status == .validating)
            #expect(try await client.waitWhileBusy(id) == .validated)

            let escaped = try await client.createModel()
            let link = root.appending(path: "../outside.zip").absoluteString
            _ = try await client.validate_model(
                .with {
                    $0.modelID = escaped; $0.trainingDataLink = link
                })
            #expect(try await client.waitWhileBusy(escaped) == .errored)
            let (_, detail) = try await client.statusWithDetail(escaped)
            #expect(detail?.contains("outside") == true)
        }
        try await server.stop()
    }

    @Test("max_models_per_user is enforced per address, case-insensitively, over live models")
    func quota() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        let address = "0xAbCdEf0000000000000000000000000000000001"
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try await client.createModel(addresses: [address])) }  // the proto allows 5
            let message = await expectRPCError(.resourceExhausted) {
                _ = try await client.createModel(metadata: ["snet-user-address": .string(address.lowercased())])
            }
            #expect(message.contains("max_models_per_user"))
            _ = try await client.delete(ids[0])
            _ = try await client.createModel(addresses: [address.uppercased().replacingOccurrences(of: "0X", with: "0x")])
        }
        try await server.stop()
    }
}
