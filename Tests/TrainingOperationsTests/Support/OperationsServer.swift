import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import SNETTraining
import ServiceLifecycle
import TrainingOperations
import TrainingTesting

/// A text-label training server on 127.0.0.1 port 0 with an admin listener on port 0, run in a
/// service group, for tests that go over real HTTP/2 and HTTP.
final class OperationsServer: Sendable {
    let server: TrainingServer
    let port: Int
    let adminPort: Int?
    let dataDirectory: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static func start(
        logger: Logger = OperationsServer.quietLogger,
        admin: Bool = true,
        configure: (inout TrainingServerConfiguration) -> Void = { _ in }
    ) async throws -> OperationsServer {
        let directory = FileManager.default.temporaryDirectory.appending(path: "snet-ops-\(UUID().uuidString)")
        var configuration = TrainingServerConfiguration.defaults
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.jobs.concurrency = 1
        configuration.jobs.workerName = "ops-test"
        configuration.jobs.pollInterval = .milliseconds(100)
        configuration.registryProbeInterval = .milliseconds(200)
        if admin { configuration.admin = .init(port: 0) }
        configure(&configuration)
        return try await start(configuration: configuration, logger: logger) { configuration, logger in
            try await TextLabelService.makeServer(configuration: configuration, logger: logger)
        }
    }

    /// Starts the server `make` builds from `configuration`.
    static func start(
        configuration: TrainingServerConfiguration,
        logger: Logger = OperationsServer.quietLogger,
        make: (TrainingServerConfiguration, Logger) async throws -> TrainingServer
    ) async throws -> OperationsServer {
        let directory = configuration.dataDirectory
        let server = try await make(configuration, logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        do {
            let port = try await server.listeningPort()
            let adminPort = try await server.admin?.listeningPort()
            return OperationsServer(server: server, port: port, adminPort: adminPort, dataDirectory: directory, group: group, task: task)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
    }

    private init(server: TrainingServer, port: Int, adminPort: Int?, dataDirectory: URL, group: ServiceGroup, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.adminPort = adminPort
        self.dataDirectory = dataDirectory
        self.group = group
        self.task = task
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "ops-test")
        logger.logLevel = .critical
        return logger
    }

    /// Starts a graceful shutdown, as SIGTERM does, without waiting for it.
    func beginShutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// Graceful shutdown; waits until the server has stopped, then removes its data.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// Runs `body` with a plaintext client of this server.
    func withClient<R: Sendable>(_ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R) async throws -> R {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        ) { client in try await body(client) }
    }
}
