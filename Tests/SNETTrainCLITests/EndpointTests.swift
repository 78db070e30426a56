import Foundation
import SNETTraining
import Testing
import TrainingTesting

/// Where snet-train connects: a missing port is the service's 5002, a bare number is a usage error,
/// and `SNET_TRAIN_ENDPOINT` names the server for a whole session.
@Suite("snet-train: endpoints")
struct EndpointTests {
    @Test("a missing port means 5002, with or without a scheme")
    func missingPort() async throws {
        for (given, expected) in [
            ("10.0.0.1", "http://10.0.0.1:5002"), ("http://svc.example.org", "http://svc.example.org:5002"),
            ("https://svc.example.org/", "https://svc.example.org:5002"), ("[::1]", "http://[::1]:5002"),
        ] {
            let run = try await runCLI(["daemon-config", "--json", "--endpoint", given], port: nil)
            #expect(run.exitCode == 0, "\(given): \(run.stderr)")
            #expect(try run.json()["model_maintenance_endpoint"] as? String == expected, "\(given)")
        }
    }

    @Test("a bare number is refused as a usage error that shows host:port", arguments: ["5090", "http://5090"])
    func barePort(_ given: String) async throws {
        let run = try await runCLI(["status", "abc", "--endpoint", given], port: nil)
        #expect(run.exitCode == 64)
        #expect(run.stderr.contains("--endpoint '\(given)' is only a port; write host:port, e.g. 127.0.0.1:5090."), "\(run.stderr)")
    }

    @Test("SNET_TRAIN_ENDPOINT is the endpoint when --endpoint is not given; --endpoint wins over it")
    func environmentVariable() async throws {
        try await withTextServer { server in
            let fromEnvironment = try await runCLI(
                ["status", "no-such-model"], port: nil, environment: ["SNET_TRAIN_ENDPOINT": "127.0.0.1:\(server.port)"]
            )
            #expect(fromEnvironment.exitCode == 2, "the server answered: \(fromEnvironment.stderr)")
            #expect(fromEnvironment.stderr.hasPrefix("error: NOT_FOUND: "))

            let overridden = try await runCLI(
                ["status", "no-such-model", "--endpoint", "127.0.0.1:\(server.port)"], port: nil,
                environment: ["SNET_TRAIN_ENDPOINT": "127.0.0.1:1"]
            )
            #expect(overridden.exitCode == 2, "\(overridden.stderr)")

            let config = try await runCLI(["daemon-config", "--json"], port: nil, environment: ["SNET_TRAIN_ENDPOINT": "svc.internal"])
            #expect(try config.json()["model_maintenance_endpoint"] as? String == "http://svc.internal:5002")
        }
        let bad = try await runCLI(["status", "abc"], port: nil, environment: ["SNET_TRAIN_ENDPOINT": "5090"])
        #expect(bad.exitCode == 64)
        #expect(bad.stderr.contains("SNET_TRAIN_ENDPOINT '5090' is only a port"), "\(bad.stderr)")
    }

    @Test("https:// against a plaintext server: unreachable (exit 3) with a hint to drop TLS")
    func tlsAgainstPlaintext() async throws {
        try await withTextServer { server in
            let run = try await runCLI(["status", "abc", "--endpoint", "https://127.0.0.1:\(server.port)"], port: nil)
            #expect(run.exitCode == 3, "\(run.stderr)")
            #expect(run.stderr.contains("next: the server did not answer TLS; if it is plaintext"), "\(run.stderr)")
            #expect(run.stderr.contains("--endpoint 127.0.0.1:\(server.port)"))
        }
    }

    @Test("nobody listening: the hint names --endpoint, SNET_TRAIN_ENDPOINT and --wait-for-server")
    func nobodyListening() async throws {
        let port = try freePort()
        let run = try await runCLI(["status", "abc", "--endpoint", "127.0.0.1:\(port)"], port: nil)
        #expect(run.exitCode == 3)
        #expect(run.stderr.contains("next: is the server running on 127.0.0.1:\(port)?"), "\(run.stderr)")
    }

    @Test("--wait-for-server waits for a server that starts late")
    func waitForServer() async throws {
        let port = try freePort()
        let waiting = Task { try await runCLI(["status", "no-such-model", "--wait-for-server", "60"], port: port) }
        try await Task.sleep(for: .seconds(1.5))
        try await withTextServer(configure: { $0.port = port }) { _ in
            let run = try await waiting.value
            #expect(run.exitCode == 2, "it reached the server and got its answer: \(run.stderr)")
            #expect(run.stderr.hasPrefix("error: NOT_FOUND: "))
        }
    }
}
