import ExampleServiceProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import ServiceLifecycle
import SNETTraining
import Testing
import TrainingGateway

@Suite("The gateway's TLS connection to a provider at an IP address")
struct GatewayProviderTLSTests {
    @Test("Forwards to a provider at 127.0.0.1 whose openssl-made certificate names IP 127.0.0.1; refuses one naming another IP")
    func providerAtAnIPAddress() async throws {
        let named = try OpenSSLCertificates.make(subjectAltName: "IP:127.0.0.1")
        let other = try OpenSSLCertificates.make(subjectAltName: "IP:127.0.0.2")
        defer { named.remove(); other.remove() }
        #expect(try await forward(to: named) == .answered(AnsweringProvider.answer))
        // The handshake fails on the name check: the call cannot reach the provider.
        let refused = try await forward(to: other)
        #expect(refused == .failed(.unavailable) || refused == .failed(.deadlineExceeded), "\(refused)")
    }

    /// One `basic_stt` call through a gateway whose provider serves `certificates` over TLS.
    private enum Outcome: Equatable {
        case answered([UInt8])
        case failed(RPCError.Code)
    }

    private func forward(to certificates: OpenSSLCertificates) async throws -> Outcome {
        let provider = GRPCServer(
            transport: HTTP2ServerTransport.Posix(
                address: .ipv4(host: "127.0.0.1", port: 0),
                transportSecurity: .tls(
                    certificateChain: [.file(path: certificates.serverChain, format: .pem)],
                    privateKey: .file(path: certificates.serverKey, format: .pem)
                )
            ),
            services: [AnsweringProvider()]
        )
        let data = FileManager.default.temporaryDirectory.appending(path: "gateway-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await provider.serve() }
            defer { provider.beginGracefulShutdown() }
            let providerPort = try #require(try await provider.listeningAddress?.ipv4?.port)
            var server = TrainingServerConfiguration.defaults
            server.port = 0
            server.dataDirectory = data
            let configuration = GatewayConfiguration(
                server: server,
                provider: .init(
                    descriptorSet: Data(base64Encoded: exampleServiceDescriptorSetBase64)!, host: "127.0.0.1", port: providerPort,
                    tls: true, caFile: certificates.caCertificate
                ),
                trainers: [:]
            )
            let gateway = try await TrainingGateway.make(configuration: configuration, logger: OperationsServer.quietLogger)
            let services = ServiceGroup(configuration: .init(services: [gateway], logger: OperationsServer.quietLogger))
            group.addTask { try await services.run() }
            defer { Task { await services.triggerGracefulShutdown() } }
            let port = try await gateway.listeningPort()
            return try await withGRPCClient(
                transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
            ) { client in
                var options = CallOptions.defaults
                options.timeout = .seconds(30)
                do {
                    let answer = try await client.unary(
                        request: ClientRequest(message: [0x0A, 0x01, 0x07]),
                        descriptor: MethodDescriptor(fullyQualifiedService: "service.ExampleService", method: "basic_stt"),
                        serializer: RawSerializer(), deserializer: RawDeserializer(), options: options
                    ) { try $0.message }
                    return .answered(answer)
                } catch let error as RPCError {
                    return .failed(error.code)
                }
            }
        }
    }
}

/// Answers `service.ExampleService/basic_stt` with `sttResp { result: "up" }`.
private struct AnsweringProvider: RegistrableRPCService {
    static let answer: [UInt8] = [0x0A, 0x02, 0x75, 0x70]

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: MethodDescriptor(fullyQualifiedService: "service.ExampleService", method: "basic_stt"),
            deserializer: RawDeserializer(), serializer: RawSerializer()
        ) { request, _ in
            for try await _ in request.messages {}
            return StreamingServerResponse(single: ServerResponse(message: Self.answer))
        }
    }
}

private struct RawSerializer: MessageSerializer {
    func serialize<Output: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Output { Output(message) }
}

private struct RawDeserializer: MessageDeserializer {
    func deserialize<Input: GRPCContiguousBytes>(_ bytes: Input) throws -> [UInt8] { bytes.withUnsafeBytes { Array($0) } }
}
