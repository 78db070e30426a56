import GRPCCore
import GRPCNIOTransportHTTP2Posix

/// Runs `body` with a client connected to the endpoint the options name.
func withConnection<R: Sendable>(
    _ options: GlobalOptions,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
) async throws -> R {
    let endpoint = try Endpoint(parsing: options.endpoint, tls: options.tls || options.caFile != nil)
    let security: HTTP2ClientTransport.Posix.TransportSecurity
    if endpoint.tls {
        security = .tls { config in
            if let caFile = options.caFile {
                config.trustRoots = .certificates([.file(path: caFile, format: .pem)])
            }
        }
    } else {
        security = .plaintext
    }
    let transport = try HTTP2ClientTransport.Posix(
        target: .dns(host: endpoint.host, port: endpoint.port),
        transportSecurity: security,
        config: .defaults { config in
            // Upload batches are 1 MiB; a larger window keeps the stream from stalling on each one.
            config.http2.targetWindowSize = 8 << 20
            config.backoff.initial = .milliseconds(200)
        }
    )
    return try await withGRPCClient(transport: transport) { client in
        try await body(client)
    }
}

extension GlobalOptions {
    /// Metadata sent on every call.
    var metadata: Metadata {
        var metadata: Metadata = [:]
        if let caller { metadata.addString(caller, forKey: "snet-user-address") }
        return metadata
    }
}
