import Foundation
import GRPCCore
import SNETTraining
import Testing
import TrainingProto

@Suite("The admin listener through a graceful shutdown")
struct DrainTests {
    @Test("Through a drain /readyz is 503 with the reason, /healthz and /metrics answer while a call runs, and the admin listener stops last")
    func adminOutlivesTheDrain() async throws {
        let server = try await OperationsServer.start { $0.shutdownDrainDelay = .milliseconds(300) }
        let admin = "http://127.0.0.1:\(try #require(server.adminPort))"
        #expect(try await httpGet("\(admin)/readyz").status == 200)
        let upload = ["service": "training.Model", "method": "upload_and_validate"]
        let (release, releaseCall) = AsyncStream<Void>.makeStream()
        try await server.withClient { client in
            let models = Training_Model.Client(wrapping: client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                // An upload held open, so the drain has a call to wait for.
                group.addTask {
                    _ = try? await models.upload_and_validate { _ in for await _ in release {} }
                }
                try await eventually("the upload is in flight") {
                    PrometheusText(try await httpGet("\(admin)/metrics").body).value("grpc_server_in_flight", upload) == 1
                }
                await server.beginShutdown()
                try await eventually("/readyz turns 503") { try await httpGet("\(admin)/readyz").status == 503 }
                #expect(try await httpGet("\(admin)/readyz").body == "not ready: draining for shutdown\n")
                // Past the drain delay the gRPC port stops accepting connections...
                try await eventually("the gRPC port closes") { !tcpAccepts(port: server.port) }
                // ...while the call still runs and the admin listener still answers.
                #expect(try await httpGet("\(admin)/healthz").status == 200)
                #expect(try await httpGet("\(admin)/readyz").status == 503)
                let scrape = try await httpGet("\(admin)/metrics")
                #expect(scrape.status == 200)
                #expect(PrometheusText(scrape.body).value("grpc_server_in_flight", upload) == 1)
                releaseCall.finish()
                try await group.waitForAll()
            }
        }
        try await server.stop()
        #expect(!tcpAccepts(port: try #require(server.adminPort)))
    }
}

/// Polls `condition` until it holds, for up to 20 s (a loaded machine); fails the test otherwise.
func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("not within 20 s: \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Whether a TCP connection to 127.0.0.1:`port` is accepted (the connection is closed at once).
func tcpAccepts(port: Int) -> Bool {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return false }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
