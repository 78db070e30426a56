import Foundation
import GRPCCore
import HealthProto
import SwiftProtobuf
import Testing
import ExampleServiceProto
import TrainingProto
import TrainingTesting

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

    @Test(
        "After an upload, a training, two calls and three health probes: every series, HELP on each family, buckets per histogram, and promtool check metrics passes"
    )
    func workflowSeries() async throws {
        let server = try await OperationsServer.start()
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        do {
            let adminPort = try #require(server.adminPort)
            try await server.withClient { client in
                let models = Training_Model.Client(wrapping: client)
                let id = try await models.create_model(
                    .with {
                        $0.grpcServiceName = "service.ExampleService"
                        $0.grpcMethodName = "stt"
                    }
                ).modelID
                _ = try await SDKUpload.upload(file: archive, modelID: id, client: models)
                try await waitUntil(models, id, is: .validated)
                _ = try await models.train_model(.with { $0.modelID = id })
                try await waitUntil(models, id, is: .readyToUse)
                // Refused before any byte is stored: an id that names no model.
                await #expect(throws: RPCError.self) {
                    _ = try await SDKUpload.upload(file: archive, modelID: "0123456789abcdef0123456789abcdef", client: models)
                }
                let service = Service_ExampleService.Client(wrapping: client)
                for _ in 0..<2 {
                    _ = try await service.stt(
                        .with {
                            $0.modelID = .with { $0.modelID = id }; $0.speech = Data("rain".utf8)
                        })
                }
            }
            // Health probes, which must not count as calls.
            try await server.withClient { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                for _ in 0..<3 { _ = try await health.check(.with { $0.service = "" }) }
            }
            let scrape = try await httpGet("http://127.0.0.1:\(adminPort)/metrics").body
            let metrics = PrometheusText(scrape)
            let promtool = try Promtool.checkMetrics(scrape)
            #expect(promtool.status == 0 && promtool.output.isEmpty, "promtool check metrics: \(promtool.output)")
            let lines = scrape.split(separator: "\n")
            let typed = Set(lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
            let helped = Set(lines.filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
            #expect(typed.subtracting(helped).isEmpty, "families without HELP: \(typed.subtracting(helped).sorted())")
            let unlisted = helped.filter { name in lines.contains("# HELP \(name) \(name)") }
            #expect(unlisted.isEmpty, "families missing from MetricCatalog: \(unlisted.sorted())")
            #expect(lines.contains("# TYPE process_cpu_seconds_total counter"))
            #expect((metrics.value("process_max_fds") ?? 0) >= 64)
            #expect(metrics.value("grpc_server_health_checks_total", ["method": "Check", "code": "OK"]) == 3)
            #expect(metrics.value("grpc_server_handled_total", ["service": "grpc.health.v1.Health"]) == nil)
            // Buckets fit what they measure: jobs up to hours, uploads by size and time.
            #expect(metrics.value("snet_job_duration_seconds_bucket", ["kind": "train", "le": "14400.0"]) == 1)
            #expect(metrics.value("snet_upload_size_bytes_bucket", ["le": "17179869184.0"]) == 1)
            #expect(metrics.value("snet_upload_size_bytes_sum") == Double(try archiveSize(archive)))
            #expect(metrics.value("snet_upload_seconds_bucket", ["le": "3600.0"]) == 1)
            #expect(metrics.value("snet_job_outcomes_total", ["kind": "validate", "outcome": "succeeded"]) == 1)
            #expect(metrics.value("snet_job_outcomes_total", ["kind": "train", "outcome": "succeeded"]) == 1)
            #expect(metrics.value("snet_validation_results_total", ["result": "valid"]) == 1)
            #expect(metrics.value("snet_upload_streams_total", ["result": "accepted"]) == 1)
            #expect(metrics.value("snet_upload_streams_total", ["result": "refused"]) == 1)
            #expect(metrics.value("snet_upload_bytes_total") == Double(try archiveSize(archive)))
            #expect(metrics.value("snet_model_cache_total", ["method": "stt", "result": "load"]) == 1)
            #expect(metrics.value("snet_model_cache_total", ["method": "stt", "result": "hit"]) == 1)
            #expect(metrics.value("snet_inference_seconds_count", ["method": "stt"]) == 2)
            #expect(metrics.value("snet_inference_running", ["method": "stt"]) == 0)
            #expect(metrics.value("snet_inference_waiting", ["method": "stt"]) == 0)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    private func archiveSize(_ archive: URL) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: archive.path(percentEncoded: false))[.size] as? Int)
    }

    private func waitUntil(_ models: Training_Model.Client<some ClientTransport>, _ id: String, is wanted: Training_Status) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let status = try await models.get_model_status(.with { $0.modelID = id }).status
            if status == wanted { return }
            try #require(status == .validating || status == .training || status == .validated, "model \(id) is \(status)")
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RPCError(code: .deadlineExceeded, message: "model \(id) never became \(wanted)")
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
