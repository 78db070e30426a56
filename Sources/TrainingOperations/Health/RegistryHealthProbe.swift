public import Logging
import Metrics
public import ServiceLifecycle

/// Probes the model registry at an interval and records whether it answers in ``HealthStatus``
/// (NOT_SERVING while it does not) and in the `snet_registry_up` gauge. A node whose registry is
/// down cannot take a single call usefully, so load balancers should send its traffic elsewhere
/// until the probe succeeds again.
public struct RegistryHealthProbe: Service {
    private let probe: @Sendable () async throws -> Void
    private let health: HealthStatus
    private let interval: Duration
    private let timeout: Duration
    /// What the interval and the timeout are measured on: the real clock, or a test's.
    private let clock: any Clock<Duration>
    private let logger: Logger

    /// `probe` must throw when the registry cannot answer; it is given `timeout` to do so.
    public init(
        health: HealthStatus,
        interval: Duration = .seconds(2),
        timeout: Duration = .seconds(2),
        clock: some Clock<Duration> = ContinuousClock(),
        logger: Logger,
        probe: @escaping @Sendable () async throws -> Void
    ) {
        self.probe = probe
        self.clock = clock
        self.health = health
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try await self.clock.sleep(for: self.interval)
            }
        }
    }

    /// One probe, bounded by the timeout.
    func check() async {
        let reachable: Bool
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await self.probe()
                    return true
                }
                group.addTask {
                    try await self.clock.sleep(for: self.timeout)
                    return false
                }
                let answered = try await group.next() ?? false
                group.cancelAll()
                if !answered { throw ProbeTimedOut() }
            }
            reachable = true
        } catch {
            if Task.isCancelled { return }
            reachable = false
            if health.reasons.contains(.registryUnreachable) == false {
                logger.error("model registry unreachable; health is NOT_SERVING until it answers", metadata: ["error": "\(error)"])
            }
        }
        if reachable, health.reasons.contains(.registryUnreachable) {
            logger.notice("model registry reachable again; health is SERVING")
        }
        health.setRegistryReachable(reachable)
        Gauge(label: "snet_registry_up").record(reachable ? 1 : 0)
    }
}

private struct ProbeTimedOut: Error, CustomStringConvertible {
    var description: String { "the registry did not answer in time" }
}
