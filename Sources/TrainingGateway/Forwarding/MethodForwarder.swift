import Foundation
import GRPCCore
import SNETTraining

/// Forwards the calls of one method. Unary calls keep the provider's initial metadata as initial
/// metadata; streaming responses start before the provider answers, so the provider's initial
/// metadata is sent back with its trailing metadata.
struct MethodForwarder<Transport: ClientTransport>: Sendable {
    let method: ProviderMethod
    let descriptor: MethodDescriptor
    let provider: GRPCClient<Transport>
    /// Set for trainable methods; a trainable method the gateway has no trainer for forwards like any other.
    let models: InferenceEndpoint<SubprocessTrainer>?
    let maxResponseMessageBytes: Int?

    func forward(_ request: StreamingServerRequest<[UInt8]>) async throws -> StreamingServerResponse<[UInt8]> {
        var callOptions = CallOptions.defaults
        callOptions.timeout = ForwardedMetadata.timeout(in: request.metadata)
        callOptions.maxResponseMessageBytes = maxResponseMessageBytes
        let options = callOptions
        var messages = request.messages.makeAsyncIterator()
        // Trainable calls are checked before anything reaches the provider; that needs the first message.
        var first: [UInt8]?
        if !method.clientStreaming || models != nil {
            first = try await messages.next()
            guard first != nil else {
                throw RPCError(code: .invalidArgument, message: "\(method.path) needs a request message; none was sent.")
            }
        }
        var outboundMetadata = ForwardedMetadata.request(request.metadata)
        if let models, let first { try await addModel(models, in: first, to: &outboundMetadata, caller: request.metadata) }
        let metadata = outboundMetadata

        if !method.clientStreaming, let first {
            guard try await messages.next() == nil else {
                throw RPCError(code: .invalidArgument, message: "\(method.path) takes one request message; several were sent.")
            }
            let outbound = ClientRequest(message: first, metadata: metadata)
            if !method.serverStreaming { return try await unary(outbound, options: options) }
            return StreamingServerResponse { writer in
                try await provider.serverStreaming(
                    request: outbound, descriptor: descriptor, serializer: RawBytesSerializer(),
                    deserializer: RawBytesDeserializer(), options: options
                ) { response in try await Self.relay(response, to: writer) }
            }
        }
        let remaining = RemainingMessages(first: first, iterator: messages)
        return StreamingServerResponse { writer in
            let outbound = StreamingClientRequest<[UInt8]>(metadata: metadata) { out in
                var remaining = remaining
                while let message = try await remaining.next() { try await out.write(message) }
            }
            return try await provider.bidirectionalStreaming(
                request: outbound, descriptor: descriptor, serializer: RawBytesSerializer(),
                deserializer: RawBytesDeserializer(), options: options
            ) { response in try await Self.relay(response, to: writer) }
        }
    }

    /// Reads the model id, checks it, and names the model for the provider.
    private func addModel(
        _ models: InferenceEndpoint<SubprocessTrainer>, in message: [UInt8], to metadata: inout Metadata, caller: Metadata
    ) async throws {
        guard let field = method.modelIDField else { return }
        let id: String
        do {
            id = try ModelIDReader(fieldNumber: field).modelID(in: message)
        } catch {
            throw RPCError(code: .invalidArgument, message: "The request is not a valid \(method.path) input message.")
        }
        metadata.addString(id, forKey: ForwardedMetadata.modelIDKey)
        guard !models.isDefaultModel(id) else { return }
        let directory = try await models.model(for: id, caller: InferenceCaller(metadata: caller))
        metadata.addString(directory.path(percentEncoded: false), forKey: ForwardedMetadata.modelPathKey)
    }

    private func unary(_ request: ClientRequest<[UInt8]>, options: CallOptions) async throws -> StreamingServerResponse<[UInt8]> {
        try await provider.unary(
            request: request, descriptor: descriptor, serializer: RawBytesSerializer(),
            deserializer: RawBytesDeserializer(), options: options
        ) { response in
            switch response.accepted {
            case .success(let contents):
                switch contents.message {
                case .success(let message):
                    return StreamingServerResponse(
                        single: ServerResponse(
                            message: message,
                            metadata: ForwardedMetadata.response(contents.metadata),
                            trailingMetadata: ForwardedMetadata.response(contents.trailingMetadata)
                        )
                    )
                case .failure(let error):
                    throw Self.returned(error)
                }
            case .failure(let error):
                throw Self.returned(error)
            }
        }
    }

    /// Copies a streamed response to the caller; returns the trailing metadata to send.
    private static func relay(
        _ response: StreamingClientResponse<[UInt8]>,
        to writer: RPCWriter<[UInt8]>
    ) async throws -> Metadata {
        switch response.accepted {
        case .success(let contents):
            var trailers = ForwardedMetadata.response(contents.metadata)
            do {
                for try await part in contents.bodyParts {
                    switch part {
                    case .message(let message): try await writer.write(message)
                    case .trailingMetadata(let metadata): trailers.add(contentsOf: ForwardedMetadata.response(metadata))
                    }
                }
            } catch let error as RPCError {
                throw returned(error)
            }
            return trailers
        case .failure(let error):
            throw returned(error)
        }
    }

    /// The provider's error as the caller sees it: same code and message, its metadata minus what
    /// the transport writes itself.
    private static func returned(_ error: RPCError) -> RPCError {
        RPCError(code: error.code, message: error.message, metadata: ForwardedMetadata.response(error.metadata))
    }
}

/// The request messages still to forward: the one read to check the model, then the rest.
struct RemainingMessages: @unchecked Sendable {
    // The iterator is used by one task at a time: read for the first message, then handed over to
    // the request producer, which alone drives it afterwards.
    var first: [UInt8]?
    var iterator: RPCAsyncSequence<[UInt8], any Error>.AsyncIterator

    mutating func next() async throws -> [UInt8]? {
        if let message = first {
            first = nil
            return message
        }
        return try await iterator.next()
    }
}
