import GRPCCore
import GRPCNIOTransportHTTP2Posix

/// The provider for the benchmark: answers `service.ExampleService/stt` at once with a fixed
/// `sttResp`, so the figures measure the forwarding, not the provider's work. It checks that
/// trainable calls carry the model's path, as a real provider would read it.
struct EchoProvider: RegistrableRPCService {
    /// `sttResp { result: "up" }`.
    static let answer: [UInt8] = [0x0A, 0x02, 0x75, 0x70]

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: MethodDescriptor(fullyQualifiedService: "service.ExampleService", method: "stt"),
            deserializer: Bytes.Deserializer(),
            serializer: Bytes.Serializer()
        ) { request, _ in
            for try await _ in request.messages {}
            guard request.metadata[stringValues: "snet-model-path"].contains(where: { _ in true }) else {
                throw RPCError(code: .failedPrecondition, message: "no snet-model-path: the benchmark expects a trained model")
            }
            return StreamingServerResponse(single: ServerResponse(message: Self.answer))
        }
    }
}

/// Raw message bytes, untouched.
enum Bytes {
    struct Serializer: MessageSerializer {
        func serialize<Output: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Output { Output(message) }
    }

    struct Deserializer: MessageDeserializer {
        func deserialize<Input: GRPCContiguousBytes>(_ bytes: Input) throws -> [UInt8] {
            bytes.withUnsafeBytes { Array($0) }
        }
    }
}
