import SwiftProtobuf
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import TrainingProto

/// Clients of the benchmark servers: one HTTP/2 connection each, the client transport's defaults
/// (its window is already 8 MiB), as `snet-train` and the daemon connect.
enum BenchmarkClient {
    static func with<R: Sendable>(
        port: Int,
        _ body: (Training_Model.Client<HTTP2ClientTransport.Posix>) async throws -> R
    ) async throws -> R {
        try await withGRPC(port: port) { client in try await body(Training_Model.Client(wrapping: client)) }
    }

    /// The raw client, for services other than `training.Model`.
    static func withGRPC<R: Sendable>(
        port: Int,
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
    ) async throws -> R {
        try await withGRPCClient(
            transport: .http2NIOPosix(
                target: .ipv4(address: "127.0.0.1", port: port),
                transportSecurity: .plaintext,
                config: .defaults
            )
        ) { client in
            try await body(client)
        }
    }

    /// A new model of the example service's `stt` method.
    static func createModel(_ client: Training_Model.Client<HTTP2ClientTransport.Posix>) async throws -> String {
        try await client.create_model(
            .with {
                $0.grpcServiceName = "service.ExampleService"
                $0.grpcMethodName = "stt"
            }
        ).modelID
    }
}
