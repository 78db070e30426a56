import Foundation
import SNETTraining
import Testing

@Suite("snet-train over TLS")
struct SNETTrainTLSTests {
    @Test("snet-train --tls --ca-file creates a model on a TLS server; without TLS or with another CA it fails")
    func createOverTLS() async throws {
        let certificates = try TestCertificates.make()
        let stranger = try TestCertificates.make(name: "some other CA")
        defer { certificates.remove(); stranger.remove() }
        let server = try await OperationsServer.start(admin: false) {
            $0.tls = TrainingServerTLS(certificateChainPath: certificates.serverChain, privateKeyPath: certificates.serverKey)
        }
        do {
            let endpoint = "localhost:\(server.port)"
            let created = try await runSNETTrain([
                "create", "--method", "service.ExampleService/stt", "--name", "over-tls", "--json",
                "--endpoint", endpoint, "--tls", "--ca-file", certificates.caCertificate,
            ])
            #expect(created.exitCode == 0, "\(created.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any]
            let id = try #require(object?["modelId"] as? String)
            #expect(id.count == 32)
            let plaintext = try await runSNETTrain(["status", id, "--endpoint", endpoint])
            #expect(plaintext.exitCode == 3, "\(plaintext.stderr)")
            let wrongCA = try await runSNETTrain(["status", id, "--endpoint", endpoint, "--ca-file", stranger.caCertificate])
            #expect(wrongCA.exitCode == 3, "\(wrongCA.stderr)")
            let right = try await runSNETTrain(["status", id, "--endpoint", endpoint, "--ca-file", certificates.caCertificate])
            #expect(right.exitCode == 0, "\(right.stderr)")
            #expect(right.stdout.contains("CREATED"))
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("snet-train --cert --key reaches a server that requires client certificates; without them it is refused")
    func mutualTLS() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let server = try await OperationsServer.start(admin: false) {
            $0.tls = TrainingServerTLS(
                certificateChainPath: certificates.serverChain, privateKeyPath: certificates.serverKey,
                clientCertificateAuthorityPath: certificates.caCertificate
            )
        }
        do {
            let endpoint = "localhost:\(server.port)"
            let base = [
                "create", "--method", "service.ExampleService/stt", "--name", "mutual-tls", "--json",
                "--endpoint", endpoint, "--ca-file", certificates.caCertificate,
            ]
            // Without a client certificate the server ends the handshake: the endpoint cannot be reached.
            let refused = try await runSNETTrain(base)
            #expect(refused.exitCode == 3, "\(refused.stderr)")
            let accepted = try await runSNETTrain(base + ["--cert", certificates.clientChain, "--key", certificates.clientKey])
            #expect(accepted.exitCode == 0, "\(accepted.stderr)")
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }
}
