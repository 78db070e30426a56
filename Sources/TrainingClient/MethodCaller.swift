public import GRPCCore

/// Calls one unary method of any service with request bytes built by ``DynamicMessageCodec``.
public struct MethodCaller<Transport: ClientTransport>: Sendable {
    private let grpcClient: GRPCClient<Transport>

    public init(wrapping grpcClient: GRPCClient<Transport>) {
        self.grpcClient = grpcClient
    }

    /// Sends `request` to `service/method` and returns the response's bytes.
    public func call(service: String, method: String, request: [UInt8], metadata: Metadata = [:]) async throws -> [UInt8] {
        try await grpcClient.unary(
            request: ClientRequest(message: request, metadata: metadata),
            descriptor: MethodDescriptor(fullyQualifiedService: service, method: method),
            serializer: RawBytes(),
            deserializer: RawBytes(),
            options: .defaults
        ) { response in try response.message }
    }
}

/// Messages already encoded: passed through unchanged.
struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
