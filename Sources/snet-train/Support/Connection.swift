import GRPCCore
import GRPCNIOTransportHTTP2Posix
import TrainingClient
import TrainingCore

/// Runs `body` with a client connected to the endpoint the options name.
func withConnection<R: Sendable>(
    _ options: GlobalOptions,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
) async throws -> R {
    try await withConnection(options.connection, body)
}

/// Runs `body` with a client connected to the endpoint the options name.
func withConnection<R: Sendable>(
    _ options: ConnectionOptions,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
) async throws -> R {
    let endpoint = try options.parsedEndpoint()
    let security: HTTP2ClientTransport.Posix.TransportSecurity
    if endpoint.tls {
        let trust: (inout HTTP2ClientTransport.Posix.TransportSecurity.TLS) -> Void = { config in
            if let caFile = options.caFile {
                config.trustRoots = .certificates([.file(path: caFile, format: .pem)])
            }
        }
        if let certificate = options.certificateFile, let key = options.keyFile {
            // Mutual TLS: present the client certificate the server's clientCA signed.
            security = .mTLS(
                certificateChain: [.file(path: certificate, format: .pem)], privateKey: .file(path: key, format: .pem), configure: trust
            )
        } else {
            security = .tls(configure: trust)
        }
    } else {
        security = .plaintext
    }
    // An IP address is connected to as such: no SNI (it cannot carry one), and TLS checks the
    // certificate's IP addresses against it. A name goes through DNS and is checked as a name.
    let target: any ResolvableTarget =
        switch HostAddress(endpoint.host) {
        case .ipv4: ResolvableTargets.IPv4.ipv4(address: endpoint.host, port: endpoint.port)
        case .ipv6: ResolvableTargets.IPv6.ipv6(address: endpoint.host, port: endpoint.port)
        case .name: ResolvableTargets.DNS.dns(host: endpoint.host, port: endpoint.port)
        }
    let transport = try HTTP2ClientTransport.Posix(
        target: target,
        transportSecurity: security,
        config: .defaults { config in
            // Upload batches are 1 MiB; a larger window keeps the stream from stalling on each one.
            config.http2.targetWindowSize = 8 << 20
            config.backoff.initial = .milliseconds(200)
        }
    )
    return try await withGRPCClient(transport: transport) { client in
        if let seconds = options.waitForServer, seconds > 0 {
            try await waitUntilAnswering(client, for: .milliseconds(Int64(seconds * 1000)))
        }
        return try await body(client)
    }
}

/// Returns once the server answers a call at all. A server that is still starting (building a
/// default model, opening its registry) refuses connections; any answer, even an error, means it
/// is up. Gives up with the last UNAVAILABLE error after `limit`.
private func waitUntilAnswering(_ client: GRPCClient<HTTP2ClientTransport.Posix>, for limit: Duration) async throws {
    let models = ModelClient(wrapping: client)
    try await retryingUnavailable(for: limit) {
        do {
            _ = try await models.status(modelID: "")
        } catch let error as RPCError where error.code == .unavailable {
            throw error
        } catch {
            return
        }
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
