public import GRPCCore
public import SNETTraining

/// Serves every method of the provider's services by forwarding it to the provider, so the daemon
/// can use the gateway as both `model_maintenance_endpoint` and `service_endpoint`.
///
/// Messages are forwarded as bytes, never decoded. For a trainable method the gateway first reads
/// the request's `training.ModelID`, checks the model through the method's `InferenceEndpoint` (the
/// library's resolution and access policy, the same as a Swift provider's), and adds
/// `snet-model-id` (and `snet-model-path`, the trained model's directory, unless the id means the
/// default model). The caller's deadline and cancellation reach the provider; the provider's errors
/// come back with their code, message and metadata.
///
/// ```swift
/// let forwarding = ForwardingService(methods: try ProviderMethods.read(descriptorSet: data), provider: client, models: endpoints)
/// let server = try builder.makeServer(services: [forwarding])
/// ```
public struct ForwardingService<Transport: ClientTransport>: RegistrableRPCService {
    private let methods: [ProviderMethod]
    private let provider: GRPCClient<Transport>
    private let models: [String: InferenceEndpoint<SubprocessTrainer>]
    private let maxResponseMessageBytes: Int?
    private let reachability: ProviderReachability?

    /// - Parameters:
    ///   - methods: what to forward (``ProviderMethods/read(descriptorSet:)``).
    ///   - provider: a client connected to the provider's service; the caller runs its connections.
    ///   - models: the endpoint of each trainable method (``SubprocessTrainer``'s models are
    ///     directories), by `service/method` path.
    ///   - maxResponseMessageBytes: the largest response message accepted from the provider.
    ///   - reachability: the provider's address, to tell a caller when a call failed UNAVAILABLE
    ///     because the provider cannot be reached.
    public init(
        methods: [ProviderMethod],
        provider: GRPCClient<Transport>,
        models: [String: InferenceEndpoint<SubprocessTrainer>],
        maxResponseMessageBytes: Int? = nil,
        reachability: ProviderReachability? = nil
    ) {
        self.methods = methods
        self.provider = provider
        self.models = models
        self.maxResponseMessageBytes = maxResponseMessageBytes
        self.reachability = reachability
    }

    public func registerMethods<Server: ServerTransport>(with router: inout RPCRouter<Server>) {
        for method in methods {
            let forwarder = MethodForwarder(
                method: method,
                descriptor: MethodDescriptor(fullyQualifiedService: method.service, method: method.method),
                provider: provider,
                models: method.modelIDField == nil ? nil : models[method.path],
                maxResponseMessageBytes: maxResponseMessageBytes
            )
            router.registerHandler(
                forMethod: forwarder.descriptor,
                deserializer: RawBytesDeserializer(),
                serializer: RawBytesSerializer()
            ) { [reachability] request, _ in
                guard let reachability else { return try await forwarder.forward(request) }
                return try await Self.explainingUnreachable(reachability) { try await forwarder.forward(request) }
            }
        }
    }

    /// `forward`'s errors, before and while the response streams, with an UNAVAILABLE explained.
    private static func explainingUnreachable(
        _ reachability: ProviderReachability, _ forward: () async throws -> StreamingServerResponse<[UInt8]>
    ) async throws -> StreamingServerResponse<[UInt8]> {
        var response: StreamingServerResponse<[UInt8]>
        do {
            response = try await forward()
        } catch let error as RPCError {
            throw await reachability.explain(error)
        }
        if case .success(var contents) = response.accepted {
            let producer = contents.producer
            contents.producer = { writer in
                do {
                    return try await producer(writer)
                } catch let error as RPCError {
                    throw await reachability.explain(error)
                }
            }
            response.accepted = .success(contents)
        }
        return response
    }
}
