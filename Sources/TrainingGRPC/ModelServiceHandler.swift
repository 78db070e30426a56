public import GRPCCore
import TrainingCore
import TrainingDatasets
public import TrainingProto

/// The `training.Model` service the daemon calls: converts messages and forwards to
/// ``TrainingCoordinator``. Errors are ``TrainingError``s, which carry their own gRPC codes.
public struct TrainingModelService: Training_Model.ServiceProtocol {
    /// The response metadata key whose value says why a model is ERRORED, or how far its job has got.
    /// ASCII; `status-detail-bin` carries the same text as UTF-8.
    public static let statusDetailKey = "status-detail"

    /// The request metadata key in which the daemon passes the paying consumer's address.
    public static let userAddressKey = "snet-user-address"

    private let coordinator: TrainingCoordinator

    public init(coordinator: TrainingCoordinator) {
        self.coordinator = coordinator
    }

    public func create_model(
        request: ServerRequest<Training_NewModel>, context: ServerContext
    ) async throws -> ServerResponse<Training_ModelID> {
        let message = request.message
        let model = try await coordinator.createModel(
            NewModelRequest(
                name: message.name, description: message.description_p,
                grpcServiceName: message.grpcServiceName, grpcMethodName: message.grpcMethodName,
                addressList: message.addressList, isPublic: message.isPublic,
                organizationID: message.organizationID, serviceID: message.serviceID, groupID: message.groupID
            ),
            caller: Self.callerAddress(in: request.metadata)
        )
        var response = Training_ModelID()
        response.modelID = model.id
        return ServerResponse(message: response)
    }

    public func validate_model_price(
        request: ServerRequest<Training_ValidateRequest>, context: ServerContext
    ) async throws -> ServerResponse<Training_PriceInBaseUnit> {
        ServerResponse(message: .cogs(try await coordinator.validationPrice(of: request.message.modelID, link: request.message.trainingDataLink)))
    }

    public func upload_and_validate(
        request: StreamingServerRequest<Training_UploadInput>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        let status = try await coordinator.upload(request.messages.map { UploadChunk($0) })
        return ServerResponse(message: Training_StatusResponse(status))
    }

    public func validate_model(
        request: ServerRequest<Training_ValidateRequest>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        let status = try await coordinator.validate(request.message.modelID, link: request.message.trainingDataLink)
        return ServerResponse(message: Training_StatusResponse(status))
    }

    public func train_model_price(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_PriceInBaseUnit> {
        ServerResponse(message: .cogs(try await coordinator.trainingPrice(of: request.message.modelID)))
    }

    public func train_model(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        ServerResponse(message: Training_StatusResponse(try await coordinator.train(request.message.modelID)))
    }

    public func delete_model(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        ServerResponse(message: Training_StatusResponse(try await coordinator.delete(request.message.modelID)))
    }

    public func get_model_status(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        let model = try await coordinator.status(of: request.message.modelID)
        var trailers: Metadata = [:]
        if let detail = model.statusDetail, !detail.isEmpty {
            trailers.addString(Self.asciiMetadataValue(detail), forKey: Self.statusDetailKey)
            trailers.addBinary(Array(detail.utf8), forKey: Self.statusDetailKey + "-bin")
        }
        return ServerResponse(message: Training_StatusResponse(model.status), trailingMetadata: trailers)
    }

    static func callerAddress(in metadata: Metadata) -> String? {
        for value in metadata[stringValues: userAddressKey] where !value.isEmpty { return value }
        return nil
    }

    /// gRPC ASCII metadata allows printable ASCII only: anything else becomes `?`, and the value is
    /// bounded so a long report cannot break the trailers.
    static func asciiMetadataValue(_ text: String) -> String {
        let printable = text.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? Character($0) : "?" }
        return String(printable.prefix(2048))
    }
}

extension Training_PriceInBaseUnit {
    static func cogs(_ value: UInt64) -> Self {
        var price = Self()
        price.price = value
        return price
    }
}
