public import GRPCCore
import TrainingCore
import TrainingDatasets
public import TrainingEngine
public import TrainingProto

/// The `training.Model` service the daemon calls: converts messages and forwards to
/// ``TrainingWorkflow``. Errors are ``TrainingError``s, which carry their own gRPC codes.
public struct ModelServiceHandler: Training_Model.ServiceProtocol {
    /// The response metadata key whose value says why a model is ERRORED, or how far its job has got.
    /// ASCII; `status-detail-bin` carries the same text as UTF-8.
    public static let statusDetailKey = "status-detail"

    /// The response metadata key of a VALIDATED or READY_TO_USE model's report as structure
    /// (``TrainingReport/trailerJSON()``), sent next to the text for clients that read it (snet-train).
    public static let statusReportKey = "status-report-bin"

    /// The request metadata key in which the daemon passes the paying consumer's address.
    public static let userAddressKey = InferenceCaller.metadataKey

    private let workflow: TrainingWorkflow

    public init(workflow: TrainingWorkflow) {
        self.workflow = workflow
    }

    public func create_model(
        request: ServerRequest<Training_NewModel>, context: ServerContext
    ) async throws -> ServerResponse<Training_ModelID> {
        let message = request.message
        let model = try await workflow.createModel(
            NewModelRequest(
                name: message.name, description: message.description_p,
                grpcServiceName: message.grpcServiceName, grpcMethodName: message.grpcMethodName,
                addressList: message.addressList, isPublic: message.isPublic,
                organizationID: message.organizationID, serviceID: message.serviceID, groupID: message.groupID
            ),
            caller: InferenceCaller(metadata: request.metadata).address
        )
        var response = Training_ModelID()
        response.modelID = model.id
        return ServerResponse(message: response)
    }

    public func validate_model_price(
        request: ServerRequest<Training_ValidateRequest>, context: ServerContext
    ) async throws -> ServerResponse<Training_PriceInBaseUnit> {
        ServerResponse(message: .cogs(try await workflow.validationPrice(of: request.message.modelID, link: request.message.trainingDataLink)))
    }

    public func upload_and_validate(
        request: StreamingServerRequest<Training_UploadInput>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        let status = try await workflow.upload(request.messages.map { @Sendable in UploadChunk($0) })
        return ServerResponse(message: Training_StatusResponse(status))
    }

    public func validate_model(
        request: ServerRequest<Training_ValidateRequest>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        let status = try await workflow.validate(request.message.modelID, link: request.message.trainingDataLink)
        return ServerResponse(message: Training_StatusResponse(status))
    }

    public func train_model_price(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_PriceInBaseUnit> {
        ServerResponse(message: .cogs(try await workflow.trainingPrice(of: request.message.modelID)))
    }

    public func train_model(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        ServerResponse(message: Training_StatusResponse(try await workflow.train(request.message.modelID)))
    }

    public func delete_model(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        ServerResponse(message: Training_StatusResponse(try await workflow.delete(request.message.modelID)))
    }

    public func get_model_status(
        request: ServerRequest<Training_ModelID>, context: ServerContext
    ) async throws -> ServerResponse<Training_StatusResponse> {
        let model = try await workflow.status(of: request.message.modelID)
        var trailers: Metadata = [:]
        if let detail = model.statusDetail, !detail.isEmpty {
            trailers.addString(Self.asciiMetadataValue(detail), forKey: Self.statusDetailKey)
            trailers.addBinary(
                Array(detail.bounded(toUTF8Bytes: StatusDetailLimits.binaryTrailerBytes).utf8), forKey: Self.statusDetailKey + "-bin"
            )
        }
        if let json = model.report?.trailerJSON() {
            trailers.addBinary(Array(json), forKey: Self.statusReportKey)
        }
        return ServerResponse(message: Training_StatusResponse(model.status), trailingMetadata: trailers)
    }

    /// gRPC ASCII metadata allows printable ASCII only: anything else becomes `?`, and the value is
    /// bounded (with a note of what was left out) so a long report cannot break the trailers.
    static func asciiMetadataValue(_ text: String) -> String {
        let printable = String(text.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? Character($0) : "?" })
        return printable.bounded(toUTF8Bytes: StatusDetailLimits.asciiTrailerBytes)
    }
}

extension Training_PriceInBaseUnit {
    static func cogs(_ value: UInt64) -> Self {
        var price = Self()
        price.price = value
        return price
    }
}
