import HTTPTypes
import Hummingbird
public import Logging
import NIOCore
public import Prometheus
public import ServiceLifecycle

/// The admin HTTP listener: `/metrics` (Prometheus text format), `/healthz` (the process is up),
/// `/readyz` (the node should get traffic: 503 while draining or while the registry is
/// unreachable) and, when credentials and a data source are given, the provider dashboard under
/// `/dashboard` (calls per minute from `activity`, which must also intercept the gRPC server).
///
/// ```swift
/// let admin = AdminServer(configuration: .init(port: 9090), metrics: registry, health: health, logger: logger)
/// try await ServiceGroup(services: [server, admin], logger: logger).run()
/// ```
public final class AdminServer: Service {
    private let configuration: AdminListenerConfiguration
    private let metrics: PrometheusCollectorRegistry
    private let health: HealthStatus
    private let dashboard: (any DashboardDataSource)?
    private let activity: CallActivity
    private let beforeScrape: @Sendable (PrometheusCollectorRegistry) async -> Void
    private let logger: Logger
    private let port = ListeningPort()

    public init(
        configuration: AdminListenerConfiguration,
        metrics: PrometheusCollectorRegistry,
        health: HealthStatus,
        dashboard: (any DashboardDataSource)? = nil,
        activity: CallActivity = CallActivity(),
        beforeScrape: @escaping @Sendable (PrometheusCollectorRegistry) async -> Void = { _ in },
        logger: Logger
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.health = health
        self.dashboard = dashboard
        self.activity = activity
        self.beforeScrape = beforeScrape
        self.logger = logger
    }

    /// The port the listener is bound to, once it is listening (useful with port 0).
    public func listeningPort() async throws -> Int { try await port.value() }

    public func run() async throws {
        let router = Router(context: AdminRequestContext.self)
        let processMetrics = ProcessMetrics(registry: metrics)
        router.get("metrics") { [metrics, beforeScrape] _, _ -> Response in
            processMetrics.sample()
            // Figures that live in the registry (models and jobs by state, across every node).
            await beforeScrape(metrics)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { [health] _, _ -> Response in
            let reasons = health.reasons
            let text = reasons.isEmpty ? "ready\n" : "not ready: \(reasons.map(\.rawValue).joined(separator: ", "))\n"
            return Response(
                status: reasons.isEmpty ? .ok : .serviceUnavailable,
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        if let credentials = configuration.dashboard, credentials.isConfigured, let dashboard {
            try await DashboardRoutes(credentials: credentials, data: dashboard, health: health, activity: activity, logger: logger)
                .add(to: router)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [port, logger, host = configuration.host] channel in
                let bound = channel.localAddress?.port ?? 0
                port.set(bound)
                logger.info("admin listener ready", metadata: ["host": "\(host)", "port": "\(bound)"])
            },
            logger: logger
        )
        do {
            try await app.run()
        } catch {
            port.fail(error)
            throw error
        }
        port.fail(AdminServerStopped())
    }
}

/// Asked for the port of an admin listener that has stopped.
struct AdminServerStopped: Error, CustomStringConvertible {
    var description: String { "the admin listener is not running" }
}
