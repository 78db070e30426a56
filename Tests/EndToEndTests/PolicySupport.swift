import ExampleServiceProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

// Helpers shared by the pricing, quota and access suites.

typealias ExampleClient = Service_ExampleService.Client<HTTP2ClientTransport.Posix>

enum Addresses {
    static let alice = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"
    static let bob = "0x1111111111111111111111111111111111111111"
    static let carol = "0x2222222222222222222222222222222222222222"
}

/// Metadata as the daemon sends it on a paid call from `address`.
func caller(_ address: String) -> Metadata {
    var metadata = Metadata()
    metadata.addString(address, forKey: "snet-user-address")
    return metadata
}

extension TrainingClient {
    /// Creates a model, uploads `archive` and waits for VALIDATED.
    func validatedModel(archive: URL, addresses: [String] = [], isPublic: Bool = false) async throws -> String {
        let id = try await createModel(addresses: addresses, isPublic: isPublic)
        _ = try await SDKUpload.upload(file: archive, modelID: id, client: self)
        try #require(try await waitWhileBusy(id) == .validated)
        return id
    }

    /// Creates a model, uploads `archive`, expects validation to end ERRORED and returns the
    /// model and its status detail (the reason).
    func rejectedModel(archive: URL) async throws -> (id: String, detail: String) {
        let id = try await createModel()
        _ = try await SDKUpload.upload(file: archive, modelID: id, client: self)
        try #require(try await waitWhileBusy(id) == .errored)
        let (_, detail) = try await statusWithDetail(id)
        return (id, detail ?? "")
    }

    /// A READY_TO_USE model trained on `archive`.
    func trainedModel(archive: URL, addresses: [String] = [], isPublic: Bool = false) async throws -> String {
        let id = try await validatedModel(archive: archive, addresses: addresses, isPublic: isPublic)
        _ = try await train(id)
        try #require(try await waitWhileBusy(id) == .readyToUse)
        return id
    }

    func validationPrice(_ id: String, link: String = "") async throws -> UInt64 {
        try await validate_model_price(
            .with {
                $0.modelID = id
                $0.trainingDataLink = link
            }
        ).price
    }

    func trainingPrice(_ id: String) async throws -> UInt64 {
        try await train_model_price(.with { $0.modelID = id }).price
    }
}

extension ExampleClient {
    /// `stt` with `modelID`, as the daemon forwards it from the consumer at `address` (nil: no address).
    func label(_ text: String, model modelID: String, from address: String?) async throws -> String {
        try await stt(
            .with {
                $0.modelID = .with { $0.modelID = modelID }
                $0.speech = Data(text.utf8)
            },
            metadata: address.map(caller) ?? [:]
        ).result
    }
}
