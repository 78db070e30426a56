import Foundation
import GRPCCore
import SwiftProtobuf
import Testing
import TrainingProto

@Suite("Prometheus metrics on the admin listener")
struct MetricsEndpointTests {
    @Test("A scrape after real calls shows each call by method and code, its latency and nothing in flight")
    func scrapeAfterCalls() async throws {
        let server = try await OperationsServer.start()
        do {
            let adminPort = try #require(server.adminPort)
            try await server.withClient { client in
                let models = Training_Model.Client(wrapping: client)
                for _ in 0..<2 {
                    _ = try await models.create_model(
                        .with {
                            $0.grpcServiceName = "service.ExampleService"
                            $0.grpcMethodName = "stt"
                            $0.name = "metrics"
                        })
                }
                await #expect(throws: RPCError.self) {
                    _ = try await models.get_model_status(.with { $0.modelID = "0123456789abcdef0123456789abcdef" })
                }
            }
            let scrape = try await httpGet("http://127.0.0.1:\(adminPort)/metrics")
            #expect(scrape.status == 200)
            let metrics = PrometheusText(scrape.body)
            let create = ["service": "training.Model", "method": "create_model"]
            let status = ["service": "training.Model", "method": "get_model_status"]
            #expect(metrics.value("grpc_server_handled_total", create.merging(["code": "OK"]) { $1 }) == 2)
            #expect(metrics.value("grpc_server_handled_total", status.merging(["code": "NOT_FOUND"]) { $1 }) == 1)
            #expect(metrics.value("grpc_server_handling_seconds_count", create) == 2)
            #expect(metrics.value("grpc_server_handling_seconds_bucket", create.merging(["le": "+Inf"]) { $1 }) == 2)
            #expect(metrics.value("grpc_server_in_flight", create) == 0)
            #expect(metrics.value("grpc_server_msg_received_total", create) == 2)
            #expect((metrics.value("grpc_server_received_bytes_total", create) ?? 0) > 0)
            #expect((metrics.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
            #expect((metrics.value("process_open_fds") ?? 0) > 0)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("Two servers in one process export only their own calls")
    func serversKeepTheirOwnFigures() async throws {
        let first = try await OperationsServer.start()
        let second = try await OperationsServer.start()
        do {
            try await first.withClient { client in
                _ = try await Training_Model.Client(wrapping: client).create_model(
                    .with {
                        $0.grpcServiceName = "service.ExampleService"
                        $0.grpcMethodName = "stt"
                    })
            }
            let other = PrometheusText(try await httpGet("http://127.0.0.1:\(try #require(second.adminPort))/metrics").body)
            #expect(other.value("grpc_server_handled_total", ["method": "create_model"]) == nil)
            let own = PrometheusText(try await httpGet("http://127.0.0.1:\(try #require(first.adminPort))/metrics").body)
            #expect(own.value("grpc_server_handled_total", ["method": "create_model"]) == 1)
        } catch {
            try await first.stop()
            try await second.stop()
            throw error
        }
        try await first.stop()
        try await second.stop()
    }
}
