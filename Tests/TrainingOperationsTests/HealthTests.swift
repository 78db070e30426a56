import Foundation
import GRPCCore
import HealthProto
import Logging
import Prometheus
import SNETTraining
import ServiceLifecycle
import SwiftProtobuf
import Testing
import TrainingOperations

@Suite("grpc.health.v1.Health and the admin probes")
struct HealthTests {
    @Test("Check answers SERVING for the server and each of its services, NOT_FOUND for others")
    func check() async throws {
        let server = try await OperationsServer.start(admin: false)
        do {
            try await server.withClient { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                for service in ["", "training.Model", "service.ExampleService", "grpc.health.v1.Health"] {
                    let answer = try await health.check(.with { $0.service = service })
                    #expect(answer.status == .serving, "\(service)")
                }
                let error = await #expect(throws: RPCError.self) {
                    _ = try await health.check(.with { $0.service = "no.Such" })
                }
                #expect(error?.code == .notFound)
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test("Graceful shutdown turns Watch and Check to NOT_SERVING before calls stop being accepted")
    func flipsDuringShutdown() async throws {
        // A drain delay long enough for a loaded machine; the test waits on events, not on it.
        let server = try await OperationsServer.start(admin: false) { $0.shutdownDrainDelay = .seconds(10) }
        try await server.withClient { client in
            let health = Grpc_Health_V1_Health.Client(wrapping: client)
            let (firstAnswer, firstAnswerSeen) = AsyncStream<Void>.makeStream()
            let seen = try await withThrowingTaskGroup(of: [Grpc_Health_V1_HealthCheckResponse.ServingStatus].self) { group in
                group.addTask {
                    try await health.watch(.with { $0.service = "" }) { response in
                        var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                        for try await message in response.messages {
                            statuses.append(message.status)
                            firstAnswerSeen.finish()
                        }
                        return statuses
                    }
                }
                // Shut down only once the watch has its first answer.
                for await _ in firstAnswer {}
                let shutdownBegan = ContinuousClock.now
                await server.beginShutdown()
                // Still accepting calls during the drain delay, but no longer SERVING.
                var during = try await health.check(.with { $0.service = "" }).status
                while during == .serving, ContinuousClock.now - shutdownBegan < .seconds(8) {
                    try await Task.sleep(for: .milliseconds(20))
                    during = try await health.check(.with { $0.service = "" }).status
                }
                #expect(during == .notServing)
                return try await group.next() ?? []
            }
            #expect(seen == [.serving, .notServing])
        }
        try await server.stop()
    }

    @Test("/healthz is up while the process is; /readyz is 503 while the registry is unreachable or draining")
    func adminProbes() async throws {
        let status = HealthStatus()
        let admin = AdminServer(
            configuration: .init(port: 0),
            metrics: PrometheusCollectorRegistry(),
            health: status,
            logger: OperationsServer.quietLogger
        )
        let group = ServiceGroup(configuration: .init(services: [admin], logger: OperationsServer.quietLogger))
        let task = Task { try await group.run() }
        let port = try await admin.listeningPort()
        #expect(try await httpGet("http://127.0.0.1:\(port)/healthz").status == 200)
        #expect(try await httpGet("http://127.0.0.1:\(port)/readyz").status == 200)
        status.setRegistryReachable(false)
        let down = try await httpGet("http://127.0.0.1:\(port)/readyz")
        #expect(down.status == 503)
        #expect(down.body.contains("model registry unreachable"))
        #expect(try await httpGet("http://127.0.0.1:\(port)/healthz").status == 200)
        status.setRegistryReachable(true)
        #expect(try await httpGet("http://127.0.0.1:\(port)/readyz").status == 200)
        status.beginDraining()
        let draining = try await httpGet("http://127.0.0.1:\(port)/readyz")
        #expect(draining.status == 503)
        #expect(draining.body.contains("draining"))
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
