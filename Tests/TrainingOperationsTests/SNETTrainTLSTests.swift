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

@Suite("TLS to an IP address, with openssl-made certificates")
struct IPEndpointTLSTests {
    @Test("snet-train reaches https://127.0.0.1 when the certificate names IP 127.0.0.1; the refusal says what failed otherwise")
    func snetTrainToAnIPAddress() async throws {
        let certificates = try OpenSSLCertificates.make(subjectAltName: "IP:127.0.0.1")
        let otherIP = try OpenSSLCertificates.make(subjectAltName: "IP:127.0.0.2")
        defer { certificates.remove(); otherIP.remove() }
        for (served, check) in [(certificates, "reached"), (otherIP, "wrong IP")] {
            let server = try await OperationsServer.start(admin: false) {
                $0.tls = TrainingServerTLS(certificateChainPath: served.serverChain, privateKeyPath: served.serverKey)
            }
            do {
                let endpoint = "https://127.0.0.1:\(server.port)"
                let status = try await runSNETTrain(["status", "0123456789abcdef0123456789abcdef", "--endpoint", endpoint, "--ca-file", served.caCertificate])
                if check == "reached" {
                    // The server answered: the model does not exist.
                    #expect(status.stderr.contains("NOT_FOUND"), "\(status.stderr)")
                    let untrusted = try await runSNETTrain([
                        "status", "0123456789abcdef0123456789abcdef", "--endpoint", endpoint, "--ca-file", otherIP.caCertificate,
                    ])
                    #expect(untrusted.exitCode == 3)
                    #expect(untrusted.stderr.contains("not signed by the CA in \(otherIP.caCertificate)"), "\(untrusted.stderr)")
                } else {
                    #expect(status.exitCode == 3)
                    #expect(status.stderr.contains("does not name the IP address 127.0.0.1"), "\(status.stderr)")
                }
            } catch {
                try await server.stop()
                throw error
            }
            try await server.stop()
        }
        let plaintext = try await OperationsServer.start(admin: false)
        let wrongScheme = try await runSNETTrain(["status", "0123456789abcdef0123456789abcdef", "--endpoint", "https://127.0.0.1:\(plaintext.port)"])
        try await plaintext.stop()
        #expect(wrongScheme.exitCode == 3)
        #expect(wrongScheme.stderr.contains("did not answer TLS"), "\(wrongScheme.stderr)")
    }
}
