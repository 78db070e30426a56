public import Foundation
public import GRPCCore

/// How the forwarder learns which model directory a trainable call may use. The gateway builds one
/// per trainable method from the library's `TrainableEndpoint`, which checks that the model exists,
/// belongs to the method, is READY_TO_USE, and that the caller may use it.
public struct ModelLookup: Sendable {
    /// Whether an id means the provider's default model (empty, or the method's `default_model_id`).
    public var isDefaultModel: @Sendable (String) -> Bool
    /// The trained model's directory for an id and the caller's metadata; throws the library's
    /// NOT_FOUND, INVALID_ARGUMENT or FAILED_PRECONDITION errors.
    public var directory: @Sendable (String, Metadata) async throws -> URL

    public init(
        isDefaultModel: @escaping @Sendable (String) -> Bool,
        directory: @escaping @Sendable (String, Metadata) async throws -> URL
    ) {
        self.isDefaultModel = isDefaultModel
        self.directory = directory
    }
}
