/// TLS on the gRPC port, for a daemon whose `model_maintenance_endpoint` is `https://`. Files are PEM.
public struct TrainingServerTLS: Sendable {
    /// The server's certificate, followed by any intermediates.
    public var certificateChainPath: String
    /// The certificate's private key.
    public var privateKeyPath: String
    /// CA certificates that client certificates must chain to; set it to require and verify a
    /// client certificate on every connection (mutual TLS), nil to accept any client.
    public var clientCertificateAuthorityPath: String?

    public init(certificateChainPath: String, privateKeyPath: String, clientCertificateAuthorityPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCertificateAuthorityPath = clientCertificateAuthorityPath
    }
}
