public import Foundation
public import GRPCCore
public import GRPCNIOTransportHTTP2Posix
public import Logging
public import SNETTraining
import ServiceLifecycle

/// A real training server on 127.0.0.1 with a free port and a temporary data directory, for tests
/// that go over HTTP/2 like the daemon does. Stop it with ``stop()``; start another on the same
/// directory to test restarts.
public final class LiveTrainingServer: Sendable {
    public let port: Int
    public let dataDirectory: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts the server `make` builds from a configuration on port 0 and `dataDirectory` (a new
    /// temporary one if nil), with fast job timing; `configure` may adjust it first.
    public static func start(
        dataDirectory: URL? = nil,
        configure: (inout TrainingServerConfiguration) -> Void = { _ in },
        make: (TrainingServerConfiguration, Logger) async throws -> TrainingServer
    ) async throws -> LiveTrainingServer {
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory.appending(path: "snet-training-\(UUID().uuidString)")
        var configuration = TrainingServerConfiguration.defaults
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.jobs.concurrency = 2
        configuration.jobs.workerName = "test-node"
        configuration.jobs.pollInterval = .milliseconds(200)
        configuration.jobs.lease = .seconds(3)
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let server = try await make(configuration, logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let port: Int
        do {
            port = try await server.listeningPort()
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        return LiveTrainingServer(port: port, dataDirectory: directory, group: group, task: task)
    }

    private init(port: Int, dataDirectory: URL, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.dataDirectory = dataDirectory
        self.group = group
        self.task = task
    }

    /// Graceful shutdown, as on SIGTERM; waits until the server has stopped.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Runs `body` with a client connected to this server.
    public func withClient<R: Sendable>(
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
    ) async throws -> R {
        try await withGRPCClient(
            transport: .http2NIOPosix(
                target: .ipv4(address: "127.0.0.1", port: port),
                transportSecurity: .plaintext,
                config: .defaults { $0.http2.targetWindowSize = 8 << 20 }
            )
        ) { client in
            try await body(client)
        }
    }

    /// Removes the data directory.
    public func removeData() {
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
