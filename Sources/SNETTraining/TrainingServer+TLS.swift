import Foundation
import GRPCNIOTransportHTTP2Posix
import NIOSSL

extension TrainingServer {
    /// Plaintext, TLS, or mutual TLS from PEM files. The files are read and parsed here, at
    /// start-up, so a wrong path or a key that does not parse stops the server with a clear error
    /// instead of failing every handshake later.
    static func transportSecurity(_ tls: TrainingServerTLS?) throws -> HTTP2ServerTransport.Posix.TransportSecurity {
        guard let tls else { return .plaintext }
        let chain = try pemCertificates(tls.certificateChainPath)
        let key = try pemFile(tls.privateKeyPath)
        do {
            _ = try NIOSSLPrivateKey(bytes: key, format: .pem)
        } catch {
            throw TLSFileError(path: tls.privateKeyPath, problem: "is not a PEM private key (\(error))")
        }
        guard let caPath = tls.clientCertificateAuthorityPath else {
            return .tls(certificateChain: chain, privateKey: .bytes(key, format: .pem))
        }
        let authorities = try pemCertificates(caPath)
        return .mTLS(certificateChain: chain, privateKey: .bytes(key, format: .pem)) {
            // Clients are identified by certificate, not host name: verify the chain only.
            $0.clientCertificateVerification = .noHostnameVerification
            $0.trustRoots = .certificates(authorities)
        }
    }

    private static func pemCertificates(_ path: String) throws -> [TLSConfig.CertificateSource] {
        let bytes = try pemFile(path)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            throw TLSFileError(path: path, problem: "holds no readable PEM certificate (\(error))")
        }
        guard !certificates.isEmpty else { throw TLSFileError(path: path, problem: "holds no PEM certificate") }
        return try certificates.map { .bytes(try $0.toDERBytes(), format: .der) }
    }

    private static func pemFile(_ path: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(filePath: path)))
        } catch {
            throw TLSFileError(path: path, problem: "cannot be read (\(error.localizedDescription))")
        }
    }
}

/// A TLS file that is missing or cannot be used.
struct TLSFileError: Error, CustomStringConvertible {
    var path: String
    var problem: String
    var description: String { "TLS file \(path) \(problem); give a PEM file." }
}
