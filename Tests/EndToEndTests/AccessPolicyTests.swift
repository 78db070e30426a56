import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

@Suite("Model access at inference: open and restricted, over gRPC")
struct AccessPolicyTests {
    static let stt = MethodName(service: "service.ExampleService", method: "stt")
    static let unknownID = "0123456789abcdef0123456789abcdef"

    /// The code and message a caller gets for `id`, or nil if the call succeeded.
    static func refusal(_ body: () async throws -> Void) async -> (RPCError.Code, String)? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return (error.code, error.message)
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("restricted: a private model answers only the addresses in its list, in any letter case")
    func restrictedPrivate() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let server = try await startTextServer { $0.policies[Self.stt].access = .restricted }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let service = ExampleClient(wrapping: grpc)
            let id = try await client.trainedModel(archive: archive, addresses: [Addresses.alice, Addresses.carol])

            for address in [
                Addresses.alice, Addresses.alice.lowercased(),
                Addresses.alice.uppercased().replacingOccurrences(of: "0X", with: "0x"), Addresses.carol,
            ] {
                #expect(try await service.label("rain and snow", model: id, from: address) == "weather")
            }
            // Anyone else, or a call without an address, is told the model does not exist, in
            // exactly the words used for an id that was never issued.
            for address in [Addresses.bob, nil] {
                let hidden = await Self.refusal { _ = try await service.label("rain", model: id, from: address) }
                let unknown = await Self.refusal {
                    _ = try await service.label("rain", model: Self.unknownID, from: address)
                }
                #expect(hidden?.0 == .notFound && unknown?.0 == .notFound)
                #expect(hidden?.1 == unknown?.1.replacingOccurrences(of: Self.unknownID, with: id))
            }
        }
        try await server.stop()
    }

}
