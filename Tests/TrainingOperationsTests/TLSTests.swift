import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto

@Suite("TLS and mutual TLS on the gRPC port")
struct TLSTests {
    /// One create_model call over `security` to `localhost:port`.
    private func createModel(port: Int, security: HTTP2ClientTransport.Posix.TransportSecurity) async throws -> String {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .dns(host: "localhost", port: port), transportSecurity: security)
        ) { client in
            var options = CallOptions.defaults
            options.timeout = .seconds(30)  // a TLS handshake in a debug build on a loaded CI machine
            return try await Training_Model.Client(wrapping: client).create_model(
                .with {
                    $0.grpcServiceName = "service.ExampleService"
                    $0.grpcMethodName = "stt"
                },
                options: options
            ).modelID
        }
    }

    @Test("A client that trusts the CA is served; plaintext and a client trusting another CA are not")
    func serverTLS() async throws {
        let certificates = try TestCertificates.make()
        let stranger = try TestCertificates.make(name: "some other CA")
        defer { certificates.remove(); stranger.remove() }
        let server = try await OperationsServer.start(admin: false) {
            $0.tls = TrainingServerTLS(certificateChainPath: certificates.serverChain, privateKeyPath: certificates.serverKey)
        }
        do {
            let id = try await createModel(
                port: server.port,
                security: .tls { $0.trustRoots = .certificates([.file(path: certificates.caCertificate, format: .pem)]) }
            )
            #expect(id.count == 32)
            await #expect(throws: RPCError.self) { _ = try await createModel(port: server.port, security: .plaintext) }
            await #expect(throws: RPCError.self) {
                _ = try await createModel(
                    port: server.port,
                    security: .tls { $0.trustRoots = .certificates([.file(path: stranger.caCertificate, format: .pem)]) }
                )
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("With a client CA, only clients presenting a certificate it signed are served")
    func mutualTLS() async throws {
        let certificates = try TestCertificates.make()
        let stranger = try TestCertificates.make(name: "some other CA")
        defer { certificates.remove(); stranger.remove() }
        let server = try await OperationsServer.start(admin: false) {
            $0.tls = TrainingServerTLS(
                certificateChainPath: certificates.serverChain,
                privateKeyPath: certificates.serverKey,
                clientCertificateAuthorityPath: certificates.caCertificate
            )
        }
        let trustServer: TLSConfig.TrustRootsSource = .certificates([.file(path: certificates.caCertificate, format: .pem)])
        do {
            let id = try await createModel(
                port: server.port,
                security: .mTLS(
                    certificateChain: [.file(path: certificates.clientChain, format: .pem)],
                    privateKey: .file(path: certificates.clientKey, format: .pem)
                ) { $0.trustRoots = trustServer }
            )
            #expect(id.count == 32)
            await #expect(throws: RPCError.self) {
                _ = try await createModel(port: server.port, security: .tls { $0.trustRoots = trustServer })
            }
            await #expect(throws: RPCError.self) {
                _ = try await createModel(
                    port: server.port,
                    security: .mTLS(
                        certificateChain: [.file(path: stranger.clientChain, format: .pem)],
                        privateKey: .file(path: stranger.clientKey, format: .pem)
                    ) { $0.trustRoots = trustServer }
                )
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("A missing or unreadable certificate file stops the server at start with the file named")
    func badFiles() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let error = await #expect(throws: (any Error).self) {
            let server = try await OperationsServer.start(admin: false) {
                $0.tls = TrainingServerTLS(certificateChainPath: certificates.serverKey, privateKeyPath: certificates.serverKey)
            }
            try await server.stop()
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(certificates.serverKey))
    }
}
