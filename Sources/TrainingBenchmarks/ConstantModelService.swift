import SwiftProtobuf
import GRPCCore
import TrainingProto

/// `training.Model` answering every call with a constant and no work: the ceiling of the transport
/// on this machine, against which the real server's figures are quoted. An upload is read to the
/// end (the bytes have to cross the transport) and dropped.
struct ConstantModelService: Training_Model.SimpleServiceProtocol {
    func create_model(request: Training_NewModel, context: ServerContext) async throws -> Training_ModelID {
        .with { $0.modelID = "00000000000000000000000000000000" }
    }

    func validate_model_price(request: Training_ValidateRequest, context: ServerContext) async throws -> Training_PriceInBaseUnit {
        .with { $0.price = 1 }
    }

    func upload_and_validate(
        request: RPCAsyncSequence<Training_UploadInput, any Error>, context: ServerContext
    ) async throws -> Training_StatusResponse {
        for try await _ in request {}
        return .with { $0.status = .validating }
    }

    func validate_model(request: Training_ValidateRequest, context: ServerContext) async throws -> Training_StatusResponse {
        .with { $0.status = .validating }
    }

    func train_model_price(request: Training_ModelID, context: ServerContext) async throws -> Training_PriceInBaseUnit {
        .with { $0.price = 1 }
    }

    func train_model(request: Training_ModelID, context: ServerContext) async throws -> Training_StatusResponse {
        .with { $0.status = .training }
    }

    func delete_model(request: Training_ModelID, context: ServerContext) async throws -> Training_StatusResponse {
        .with { $0.status = .deleted }
    }

    func get_model_status(request: Training_ModelID, context: ServerContext) async throws -> Training_StatusResponse {
        .with { $0.status = .created }
    }
}
