import GRPCCore
import GRPCNIOTransportHTTP2Posix
import HealthProto
import Logging
import Metrics
import Prometheus
public import ServiceLifecycle
import TrainingCore
import TrainingGRPC
import TrainingJobs
package import TrainingOperations

/// The running service: the gRPC server (with `grpc.health.v1.Health`, the request log and RPC
/// metrics), the job runner, and, when configured, the admin listener and registry health probe,
/// as one `Service` for a `ServiceGroup`. Graceful shutdown first reports NOT_SERVING (and `/readyz`
/// 503), waits the drain delay, then stops accepting calls, lets running calls finish, and cancels
/// running jobs (they are re-queued when the service starts again); the admin listener stops last.
public final class TrainingServer: Service {
    private let grpcServer: GRPCServer<HTTP2ServerTransport.Posix>
    private let transport: HTTP2ServerTransport.Posix
    private let runner: JobRunner
    private let registryService: (any Service)?
    private let onShutdown: @Sendable () async -> Void
    private let logger: Logger
    private let drainDelay: Duration
    private let probe: RegistryHealthProbe?
    /// The admin listener, when ``TrainingServerConfiguration/admin`` is set.
    package let admin: AdminServer?
    /// Whether this node should get traffic; what the health service and `/readyz` report.
    package let health: HealthStatus
    /// Where this server's metrics go when it has an admin listener: a registry of its own, so
    /// several servers in one process (tests, a gateway) each export only their own figures.
    private let metricsFactory: CatalogMetricsFactory?
    private let connections: ConnectionCounter
    private let memoryTrimmer: IdleMemoryTrimmer?

    /// Client connections open on the gRPC port now.
    package var openConnections: Int { connections.current }

    init(
        configuration: TrainingServerConfiguration,
        services: [any RegistrableRPCService],
        runner: JobRunner,
        registryProbe: (@Sendable () async throws -> Void)? = nil,
        browsing: (any ModelRegistry & ModelRegistryBrowsing)? = nil,
        registryService: (any Service)? = nil,
        onShutdown: @escaping @Sendable () async -> Void,
        logger: Logger
    ) throws {
        // Metrics go to a registry of the server's own when it has an admin listener.
        let registry = configuration.admin.map { _ in PrometheusCollectorRegistry() }
        let metricsFactory = registry.map { CatalogMetricsFactory(registry: $0) }
        let idle = configuration.connections.maxIdleTime
        let connections = ConnectionCounter(
            limit: configuration.connections.maxConnections, silenceLimit: idle.map { $0 * 2 },
            factory: metricsFactory ?? MetricsSystem.factory
        )
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: configuration.host, port: configuration.port),
            transportSecurity: try Self.transportSecurity(configuration.tls),
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = configuration.maxRequestMessageBytes
                $0.http2.targetWindowSize = configuration.http2.targetWindowSize
                $0.http2.maxFrameSize = configuration.http2.maxFrameSize
                $0.connection.maxIdleTime = idle
                // A live client answers these pings, so a long call is never silent for twice the
                // idle time; one that does not answer is closed after the keepalive timeout.
                if let idle { $0.connection.keepalive.time = idle }
                $0.channelDebuggingCallbacks.onAcceptTCPConnection = { connections.accept($0) }
            }
        )
        self.connections = connections
        let health = HealthStatus()
        let activity = CallActivity()
        let memoryTrimmer = configuration.memory.trimAfterIdleTime.map {
            IdleMemoryTrimmer(idleTime: $0, jobsRunning: { runner.runningJobCount > 0 }, logger: logger)
        }
        self.memoryTrimmer = memoryTrimmer
        var interceptors: [any ServerInterceptor] = [
            // The dashboard's calls-per-minute chart counts what this interceptor sees.
            RequestLogInterceptor(logger: logger), RPCMetricsInterceptor(factory: metricsFactory ?? MetricsSystem.factory), activity,
        ]
        if let memoryTrimmer { interceptors.append(memoryTrimmer) }
        // Innermost: grpc-swift turns an error thrown by any interceptor into a failed response,
        // which the shield lets pass, so only errors the handler throws straight to it are shielded.
        interceptors.append(InternalErrorInterceptor(logger: logger))
        let healthService = HealthService(status: health, services: Self.serviceNames(services))
        self.transport = transport
        self.grpcServer = GRPCServer(
            transport: transport,
            services: services + [healthService],
            interceptors: interceptors
        )
        self.runner = runner
        self.registryService = registryService
        self.onShutdown = onShutdown
        self.logger = logger
        self.health = health
        self.drainDelay = configuration.shutdownDrainDelay
        self.probe = registryProbe.map {
            RegistryHealthProbe(health: health, interval: configuration.registryProbeInterval, logger: logger, probe: $0)
        }
        self.metricsFactory = metricsFactory
        if let adminConfiguration = configuration.admin, let registry {
            let gauges = browsing.map { RegistryGauges(registry: $0, logger: logger) }
            self.admin = AdminServer(
                configuration: adminConfiguration, metrics: registry, health: health,
                dashboard: browsing.map { RegistryDashboardData(registry: $0) },
                activity: activity, beforeScrape: { await gauges?.update($0) }, logger: logger
            )
        } else {
            self.admin = nil
        }
    }

    /// The port the server is bound to, once it is listening (useful with port 0).
    public func listeningPort() async throws -> Int {
        guard let address = try await transport.listeningAddress.ipv4 else {
            throw RPCError(code: .internalError, message: "The server is not listening on an IPv4 address.")
        }
        return address.port
    }

    public func run() async throws {
        defer { logger.info("training server stopped") }
        do {
            if let metricsFactory {
                // Every metric the server's tasks record (RPCs, jobs, registry) goes to its own registry.
                try await withMetricsFactory(metricsFactory) { try await self.runWithRegistry() }
            } else {
                try await runWithRegistry()
            }
        } catch {
            // Failing to serve (the port taken, say) closes the registry too: every exit path does.
            await onShutdown()
            throw error
        }
        await onShutdown()
    }

    /// The registry's database client (PostgreSQL's pool), the admin listener and the serving tasks
    /// as one service group. A group shuts its services down one at a time in reverse order, so on
    /// SIGTERM the serving tasks drain first (`/readyz` answers 503 "draining", calls finish, jobs
    /// are handed back), then the admin listener stops (`/healthz` and `/metrics` answer until
    /// then, so the last scrape sees the drain), then the registry's client closes.
    private func runWithRegistry() async throws {
        let services: [(any Service)?] = [registryService, admin, ServingTasks(server: self)]
        let group = ServiceGroup(
            configuration: .init(services: services.compactMap { $0.map { .init(service: $0) } }, logger: logger)
        )
        try await group.run()
    }

    /// The serving tasks, as the service the registry's client outlives.
    private struct ServingTasks: Service {
        let server: TrainingServer
        func run() async throws { try await server.runServices() }
    }

    private func runServices() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.runner.run() }
            group.addTask { try await self.grpcServer.serve() }
            group.addTask {
                // Report NOT_SERVING first, so health checkers stop sending traffic, then drain.
                try? await gracefulShutdown()
                self.health.beginDraining()
                self.logger.info("draining: health is NOT_SERVING", metadata: ["delay": "\(self.drainDelay)"])
                if self.drainDelay > .zero { try? await Task.sleep(for: self.drainDelay) }
                self.grpcServer.beginGracefulShutdown()
            }
            if let probe = self.probe { group.addTask { try await probe.run() } }
            if let trimmer = self.memoryTrimmer { group.addTask { try await trimmer.run() } }
            group.addTask {
                let port = try await self.listeningPort()
                self.logger.info("training server listening", metadata: ["port": "\(port)"])
            }
        }
    }

    /// The fully qualified names of the services, for the health service's per-service answers.
    private static func serviceNames(_ services: [any RegistrableRPCService]) -> Set<String> {
        var router = RPCRouter<HTTP2ServerTransport.Posix>()
        for service in services { service.registerMethods(with: &router) }
        return Set(router.methods.map(\.service.fullyQualifiedService))
    }
}
