import Foundation
import SwiftProtobuf
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SNETTraining
import Testing
import TrainingProto
import TrainingTesting

typealias TrainingClient = Training_Model.Client<HTTP2ClientTransport.Posix>

extension TrainingClient {
    func createModel(
        service: String = "service.ExampleService", method: String = "stt", name: String = "test",
        addresses: [String] = [], isPublic: Bool = false, metadata: Metadata = [:]
    ) async throws -> String {
        var request = Training_NewModel()
        request.name = name
        request.grpcServiceName = service
        request.grpcMethodName = method
        request.addressList = addresses
        request.isPublic = isPublic
        request.organizationID = "org"
        request.serviceID = "svc"
        request.groupID = "default_group"
        return try await create_model(request, metadata: metadata).modelID
    }

    func status(_ id: String) async throws -> Training_Status {
        try await get_model_status(.with { $0.modelID = id }).status
    }

    /// The status and the `status-detail` trailer, as a consumer's tool would read them.
    func statusWithDetail(_ id: String) async throws -> (Training_Status, String?) {
        try await get_model_status(.with { $0.modelID = id }) { response in
            let detail = response.trailingMetadata[stringValues: "status-detail"].first(where: { _ in true })
            return (try response.message.status, detail)
        }
    }

    /// Polls like the daemon (faster) until the model leaves VALIDATING/TRAINING.
    func waitWhileBusy(_ id: String, timeout: Duration = .seconds(60)) async throws -> Training_Status {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let status = try await status(id)
            if status != .validating && status != .training { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("model \(id) still busy after \(timeout)")
        return try await status(id)
    }

    func train(_ id: String) async throws -> Training_Status {
        try await train_model(.with { $0.modelID = id }).status
    }

    func delete(_ id: String) async throws -> Training_Status {
        try await delete_model(.with { $0.modelID = id }).status
    }
}

/// Asserts that `body` fails with `code`, and returns the message for further checks.
@discardableResult
func expectRPCError(
    _ code: RPCError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> String {
    do {
        try await body()
        Issue.record("expected \(code), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == code, "message: \(error.message)", sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("expected RPCError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return ""
}

/// Starts a TextLabelService server.
func startTextServer(
    dataDirectory: URL? = nil,
    trainer: TextLabelTrainer = TextLabelTrainer(),
    configure: (inout TrainingServerConfiguration) -> Void = { _ in }
) async throws -> LiveTrainingServer {
    try await LiveTrainingServer.start(dataDirectory: dataDirectory, configure: configure) { configuration, logger in
        try await TextLabelService.makeServer(configuration: configuration, logger: logger, trainer: trainer)
    }
}
