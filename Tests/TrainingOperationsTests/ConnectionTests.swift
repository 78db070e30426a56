import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto

@Suite("Client connections on the gRPC port")
struct ConnectionTests {
    // The daemon-like client (a new connection per poll, never closed, idle after the server's
    // GOAWAY) is Tests/python/test_gateway.py's: grpcio behaves as grpc-go does there, while a
    // grpc-swift client reconnects at once after a GOAWAY.
    @Test("Past the connection limit a new connection is closed at once (counted); when one closes, the caller is served")
    func limitRefusesThenServes() async throws {
        let server = try await OperationsServer.start {
            $0.connections = ConnectionLimits(maxIdleTime: nil, maxConnections: 2)
        }
        let admin = "http://127.0.0.1:\(try #require(server.adminPort))"
        try await withThrowingDiscardingTaskGroup { group in
            var clients: [GRPCClient<HTTP2ClientTransport.Posix>] = []
            for _ in 0..<2 {
                let client = try Self.client(port: server.port)
                group.addTask { try await client.runConnections() }
                clients.append(client)
                #expect(try await Self.poll(client))
            }
            #expect(server.server.openConnections == 2)
            let third = try Self.client(port: server.port)
            group.addTask { try await third.runConnections() }
            #expect(try await !Self.poll(third, timeout: .seconds(2)), "refused while two are open")
            #expect(server.server.openConnections == 2)
            let refused = PrometheusText(try await httpGet("\(admin)/metrics").body).value("snet_connections_refused_total") ?? 0
            #expect(refused >= 1)
            clients[0].beginGracefulShutdown()
            #expect(try await Self.poll(third, timeout: .seconds(20)), "served once a connection closed")
            let metrics = PrometheusText(try await httpGet("\(admin)/metrics").body)
            #expect(metrics.value("snet_connections_open") == 2)
            #expect((metrics.value("snet_connections_accepted_total") ?? 0) == 3)
            for client in [clients[1], third] { client.beginGracefulShutdown() }
        }
        try await server.stop()
    }

    private static func client(port: Int) throws -> GRPCClient<HTTP2ClientTransport.Posix> {
        GRPCClient(
            transport: try .http2NIOPosix(
                target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext,
                config: .defaults {
                    $0.backoff.initial = .milliseconds(100); $0.backoff.max = .milliseconds(500)
                }
            )
        )
    }

    /// One `get_model_status`, as the daemon polls: true when the server answered (NOT_FOUND here),
    /// false when the call could not reach it.
    private static func poll(_ client: GRPCClient<HTTP2ClientTransport.Posix>, timeout: Duration = .seconds(30)) async throws -> Bool {
        var options = CallOptions.defaults
        options.timeout = timeout
        // Wait through a refused connection's reconnection attempts rather than failing at once.
        options.waitForReady = true
        do {
            _ = try await Training_Model.Client(wrapping: client).get_model_status(
                .with { $0.modelID = "0123456789abcdef0123456789abcdef" }, options: options
            )
            return true
        } catch let error as RPCError where error.code == .notFound {
            return true
        } catch let error as RPCError where error.code == .unavailable || error.code == .deadlineExceeded {
            return false
        }
    }
}
