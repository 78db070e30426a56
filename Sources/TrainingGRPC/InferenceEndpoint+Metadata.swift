public import GRPCCore
public import TrainingCore
public import TrainingEngine

/// The name a provider's handler stores a method's endpoint under (``InferenceEndpoint``).
public typealias TrainableEndpoint<T: Trainer> = InferenceEndpoint<T>

/// An inference endpoint called from a generated gRPC handler: the caller is read from the
/// request's metadata; errors are ``TrainingError``s, which carry their gRPC codes.
///
/// ```swift
/// func stt(request: ServerRequest<Service_sttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
///     let word = try await stt.infer(modelID: request.message.modelID.modelID, metadata: request.metadata) { model in
///         try model.recognize(wav: request.message.speech).word
///     }
///     …
/// }
/// ```
extension InferenceEndpoint {
    /// ``InferenceEndpoint/infer(modelID:caller:_:)`` for the caller whose `snet-user-address`
    /// (set by the daemon on paid calls) is in `metadata`.
    public func infer<R: Sendable>(
        modelID: String,
        metadata: Metadata,
        _ inference: @Sendable (T.Model) async throws -> R
    ) async throws -> R {
        try await infer(modelID: modelID, caller: InferenceCaller(metadata: metadata), inference)
    }

    /// ``InferenceEndpoint/model(for:caller:)`` for the caller whose `snet-user-address` is in `metadata`.
    public func model(for modelID: String, metadata: Metadata) async throws -> T.Model {
        try await model(for: modelID, caller: InferenceCaller(metadata: metadata))
    }
}

extension InferenceCaller {
    /// The request metadata key in which the daemon passes the paying consumer's address.
    public static let metadataKey = "snet-user-address"

    /// The caller a request's `snet-user-address` names (the daemon sets it from the verified
    /// signer of a paid call); anything that is not an Ethereum address is ignored.
    public init(metadata: Metadata) {
        self.init(address: metadata[stringValues: Self.metadataKey].first { EthereumAddress.isWellFormed($0) })
    }
}
