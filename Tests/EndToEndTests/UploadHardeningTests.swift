import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Synchronization
import Testing
import TrainingProto
import TrainingTesting

@Suite("Uploads that break off or arrive at the wrong time change nothing")
struct UploadHardeningTests {
    struct Abandoned: Error {}

    func partFiles(in server: LiveTrainingServer) -> [String] {
        let models = server.dataDirectory.appending(path: "models").path(percentEncoded: false)
        let files = FileManager.default.enumerator(atPath: models)?.allObjects as? [String] ?? []
        return files.filter { $0.contains("/uploads/") && !$0.hasSuffix("/uploads") }
    }

    @Test("a client that disconnects mid-stream leaves no file and the model as it was")
    func disconnectMidStream() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let sawPartialFile = Mutex(false)
            await #expect(throws: (any Error).self, "the abandoned upload must fail") {
                _ = try await client.upload_and_validate { writer in
                    for number in 1...2 {
                        try await writer.write(
                            .with {
                                $0.modelID = id; $0.data = Data(count: 256 << 10); $0.fileName = "d.zip"
                                $0.fileSize = 1 << 20; $0.batchSize = 256 << 10; $0.batchNumber = UInt64(number); $0.batchCount = 4
                            })
                    }
                    // The half-sent dataset is on the server's disk before the client walks away,
                    // so its removal below is observed, not assumed.
                    let deadline = ContinuousClock.now + .seconds(5)
                    while partFiles(in: server).isEmpty && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    sawPartialFile.withLock { $0 = !partFiles(in: server).isEmpty }
                    throw Abandoned()
                }
            }
            #expect(sawPartialFile.withLock { $0 }, "the partial upload was being written")
            let deadline = ContinuousClock.now + .seconds(5)
            while !partFiles(in: server).isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await client.status(id) == .created)
        }
        #expect(partFiles(in: server).isEmpty, "left behind: \(partFiles(in: server))")
        try await server.stop()
    }

    @Test("file_size changing mid-stream and bytes beyond file_size are rejected")
    func inconsistentStream() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            func piece(_ number: UInt64, size: UInt64, bytes: Int = 4) -> Training_UploadInput {
                .with {
                    $0.modelID = id; $0.data = Data(repeating: 2, count: bytes); $0.fileName = "d.zip"
                    $0.fileSize = size; $0.batchSize = 4; $0.batchNumber = number; $0.batchCount = 2
                }
            }
            let resized = [piece(1, size: 8), piece(2, size: 9)]
            let overlong = [piece(1, size: 8), piece(2, size: 8, bytes: 9)]
            var message = await expectRPCError(.invalidArgument) {
                _ = try await client.upload_and_validate { try await $0.write(contentsOf: resized) }
            }
            #expect(message.contains("changed"))
            message = await expectRPCError(.invalidArgument) {
                _ = try await client.upload_and_validate { try await $0.write(contentsOf: overlong) }
            }
            #expect(message.contains("more bytes"))
            #expect(try await client.status(id) == .created)
        }
        try await server.stop()
    }

    @Test("a model that is VALIDATING or TRAINING refuses a new upload")
    func busyModel() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "t.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let server = try await startTextServer(trainer: TextLabelTrainer(trainingDelay: .seconds(30)))
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            _ = try await client.train(id)
            let message = await expectRPCError(.failedPrecondition) {
                _ = try await SDKUpload.upload(file: archive, modelID: id, client: client)
            }
            #expect(message.contains("TRAINING"))
            #expect(try await client.status(id) == .training)
            _ = try await client.delete(id)
        }
        try await server.stop()
    }
}
