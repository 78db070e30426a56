import GRPCCore
import GRPCNIOTransportHTTP2Posix

/// The Swift provider for the benchmark: answers at once with fixed bytes, so the figures measure
/// the forwarding, not the provider's work. `service.ExampleService/stt` (trainable) checks that
/// the call carries the model's path, as a real provider would read it; `benchmark.Pinger/ping`
/// is a plain method, forwarded without a model.
struct EchoProvider: RegistrableRPCService {
    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: BenchmarkMethod.stt.descriptor, deserializer: Bytes.Deserializer(), serializer: Bytes.Serializer()
        ) { request, _ in
            for try await _ in request.messages {}
            guard request.metadata[stringValues: "snet-model-path"].contains(where: { _ in true }) else {
                throw RPCError(code: .failedPrecondition, message: "no snet-model-path: the benchmark expects a trained model")
            }
            return StreamingServerResponse(single: ServerResponse(message: BenchmarkMethod.stt.answer))
        }
        router.registerHandler(
            forMethod: BenchmarkMethod.ping.descriptor, deserializer: Bytes.Deserializer(), serializer: Bytes.Serializer()
        ) { request, _ in
            for try await _ in request.messages {}
            return StreamingServerResponse(single: ServerResponse(message: BenchmarkMethod.ping.answer))
        }
    }

    /// Serves on `port` until the benchmark closes this process's standard input.
    static func serve(port: Int) async throws {
        let server = GRPCServer(
            transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
            services: [EchoProvider()]
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            await StandardInput.closed()
            server.beginGracefulShutdown()
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
