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
