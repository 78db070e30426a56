import Foundation
public import GRPCCore
public import TrainingCore
public import TrainingProto
import SwiftProtobuf

/// The eight `training.Model` calls, as the daemon makes them, with plain Swift values: what
/// `snet-train` drives, and what a provider's own tests or scripts can use against any endpoint.
///
/// ```swift
/// try await withGRPCClient(transport: transport) { grpc in
///     let models = ModelClient(wrapping: grpc)
///     let id = try await models.create(NewModelSpec(service: "service.ExampleService", method: "stt", name: "mine"))
///     _ = try await models.upload(try DatasetUpload(file: dataset), modelID: id)
///     let final = try await StatusWatcher(models: models).watch(modelID: id)
/// }
/// ```
///
/// Calls throw the server's `RPCError` unchanged, so callers see its code and message.
public struct ModelClient<Transport: ClientTransport>: Sendable {
    public let client: Training_Model.Client<Transport>
    /// Sent with every call: e.g. `snet-user-address`, as the daemon passes it on paid calls.
    public var metadata: Metadata

    public init(wrapping grpcClient: GRPCClient<Transport>, metadata: Metadata = [:]) {
        self.client = Training_Model.Client(wrapping: grpcClient)
        self.metadata = metadata
    }

    /// `create_model`; returns the new model's id.
    public func create(_ spec: NewModelSpec) async throws -> String {
        var request = Training_NewModel()
        request.name = spec.name
        request.description_p = spec.description
        request.grpcServiceName = spec.service
        request.grpcMethodName = spec.method
        request.addressList = spec.addresses
        request.isPublic = spec.isPublic
        request.organizationID = spec.organizationID
        request.serviceID = spec.serviceID
        request.groupID = spec.groupID
        let id = try await client.create_model(request, metadata: metadata).modelID
        guard !id.isEmpty else {
            throw RPCError(code: .internalError, message: "create_model returned an empty model_id; the daemon would refuse it.")
        }
        return id
    }

    /// `validate_model_price` in cogs, for the dataset uploaded (`link` empty, as the SDK asks) or at `link`.
    public func validationPrice(modelID: String, link: String = "") async throws -> UInt64 {
        try await client.validate_model_price(
            .with {
                $0.modelID = modelID; $0.trainingDataLink = link
            }, metadata: metadata
        ).price
    }

    /// `train_model_price` in cogs.
    public func trainingPrice(modelID: String) async throws -> UInt64 {
        try await client.train_model_price(.with { $0.modelID = modelID }, metadata: metadata).price
    }

    /// `upload_and_validate`: streams the file as the SDK does; `progress` is called after each message.
    public func upload(
        _ upload: DatasetUpload,
        modelID: String,
        progress: @escaping @Sendable (UploadProgress) -> Void = { _ in }
    ) async throws -> ModelStatus {
        let response = try await client.upload_and_validate(metadata: metadata) { writer in
            let start = ContinuousClock.now
            var sent: UInt64 = 0
            for try await message in upload.messages(modelID: modelID) {
                try await writer.write(message)
                sent += UInt64(message.data.count)
                progress(
                    UploadProgress(
                        sentBytes: sent, totalBytes: upload.fileSize, batchNumber: message.batchNumber,
                        batchCount: message.batchCount, elapsed: ContinuousClock.now - start
                    ))
            }
        }
        return try Self.status(response.status)
    }

    /// `validate_model` of the dataset at `link` (empty: the uploaded dataset again).
    public func validate(modelID: String, link: String) async throws -> ModelStatus {
        try Self.status(
            try await client.validate_model(
                .with {
                    $0.modelID = modelID; $0.trainingDataLink = link
                }, metadata: metadata
            ).status)
    }

    /// `train_model`.
    public func train(modelID: String) async throws -> ModelStatus {
        try Self.status(try await client.train_model(.with { $0.modelID = modelID }, metadata: metadata).status)
    }

    /// `delete_model`.
    public func delete(modelID: String) async throws -> ModelStatus {
        try Self.status(try await client.delete_model(.with { $0.modelID = modelID }, metadata: metadata).status)
    }

    /// `get_model_status` with the `status-detail` trailer.
    public func status(modelID: String) async throws -> StatusReport {
        try await client.get_model_status(.with { $0.modelID = modelID }, metadata: metadata) { response in
            let status = try Self.status(try response.message.status)
            return StatusReport(
                status: status, detail: Self.detail(in: response.trailingMetadata), report: Self.report(in: response.trailingMetadata)
            )
        }
    }

    /// The `status-detail` trailer the server set: the UTF-8 `-bin` variant when present, else the ASCII one.
    static func detail(in trailers: Metadata) -> String? {
        for bytes in trailers[binaryValues: statusDetailKey + "-bin"] {
            if let text = String(validating: bytes, as: UTF8.self), !text.isEmpty { return text }
        }
        for text in trailers[stringValues: statusDetailKey] where !text.isEmpty { return text }
        return nil
    }

    /// The `status-report-bin` trailer, when the server sent one it can read.
    static func report(in trailers: Metadata) -> TrainingReport? {
        trailers[binaryValues: statusReportKey].lazy.compactMap { try? TrainingReport(json: Data($0)) }.first
    }

    /// The response metadata key of the report (`ModelServiceHandler.statusReportKey` on the server).
    public static var statusReportKey: String { "status-report-bin" }

    /// The response metadata key of the status detail (`ModelServiceHandler.statusDetailKey` on the server).
    public static var statusDetailKey: String { "status-detail" }

    static func status(_ status: Training_Status) throws -> ModelStatus {
        guard let known = ModelStatus(status) else {
            throw RPCError(code: .internalError, message: "The server answered an unknown training.Status (\(status.rawValue)).")
        }
        return known
    }
}
