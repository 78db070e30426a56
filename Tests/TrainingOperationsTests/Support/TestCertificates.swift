import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority and certificates it signs, written as PEM files in a temporary
/// directory: what a provider gets from its own CA or from Let's Encrypt.
struct TestCertificates {
    let directory: URL
    let caCertificate: String
    let serverChain: String
    let serverKey: String
    let clientChain: String
    let clientKey: String

    /// A new CA, a server certificate for localhost, and a client certificate.
    static func make(name: String = "snet-training test CA") throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appending(path: "snet-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName(name) }
        let now = Date()
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey)
        )
        func leaf(_ common: String, usage: ExtendedKeyUsage.Usage) throws -> (Certificate, P256.Signing.PrivateKey) {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName,
                subject: try DistinguishedName { CommonName(common) },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    SubjectAlternativeNames([.dnsName("localhost")])
                },
                issuerPrivateKey: .init(caKey)
            )
            return (certificate, key)
        }
        let (server, serverKey) = try leaf("localhost", usage: .serverAuth)
        let (client, clientKey) = try leaf("provider-client", usage: .clientAuth)
        func write(_ text: String, _ name: String) throws -> String {
            let url = directory.appending(path: name)
            try Data(text.utf8).write(to: url)
            return url.path(percentEncoded: false)
        }
        return TestCertificates(
            directory: directory,
            caCertificate: try write(try ca.serializeAsPEM().pemString, "ca.pem"),
            serverChain: try write(try server.serializeAsPEM().pemString, "server.pem"),
            serverKey: try write(serverKey.pemRepresentation, "server.key"),
            clientChain: try write(try client.serializeAsPEM().pemString, "client.pem"),
            clientKey: try write(clientKey.pemRepresentation, "client.key")
        )
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
