import Foundation
public import GRPCCore
import GRPCNIOTransportHTTP2Posix
public import Logging
public import ServiceLifecycle
import SNETTraining

/// The training gateway: `training.Model` served by the library, each trainable method trained by
/// the provider's own program (``SubprocessTrainer``), and every call of the provider's service
/// forwarded to the provider (``ForwardingService``), on one port.
///
/// ```swift
/// let configuration = try await GatewayConfiguration.load(sources: sources)
/// let gateway = try await TrainingGateway.make(configuration: configuration, logger: logger)
/// try await ServiceGroup(services: [gateway], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class TrainingGateway: Service {
    private let server: TrainingServer
    private let provider: GRPCClient<HTTP2ClientTransport.Posix>
    private let slurmSweep: SlurmRunSweep?
    private let logger: Logger

    private init(server: TrainingServer, provider: GRPCClient<HTTP2ClientTransport.Posix>, slurmSweep: SlurmRunSweep?, logger: Logger) {
        self.server = server
        self.provider = provider
        self.slurmSweep = slurmSweep
        self.logger = logger
    }

    /// Opens the registry, registers a trainer per trainable method (run as a subprocess or a cluster
    /// job), and builds the server.
    public static func make(configuration: GatewayConfiguration, logger: Logger) async throws -> TrainingGateway {
        // Before any job can start: trainers a killed gateway left running would compete with the
        // re-queued jobs that replace them.
        StaleTrainerSweep.run(workRoot: configuration.trainerWorkRoot, logger: logger)
        let builder = try await TrainingServerBuilder.open(
            descriptorSet: configuration.provider.descriptorSet, configuration: configuration.server, logger: logger
        )
        let slurmSweep = GatewayTrainers.slurmSweep(configuration: configuration, registry: builder.registry, logger: logger)
        await slurmSweep?.run()
        var endpoints: [String: InferenceEndpoint<SubprocessTrainer>] = [:]
        for (name, command) in configuration.trainers {
            let trainer = GatewayTrainers.trainer(for: command, configuration: configuration, logger: logger)
            endpoints[name.description] = try builder.endpoint(service: name.service, method: name.method, trainer: trainer)
        }
        let provider = GRPCClient(transport: try providerTransport(configuration.provider))
        let reachability = ProviderReachability(host: configuration.provider.host, port: configuration.provider.port)
        // A warning, not a refusal: providers often start after their gateway.
        if let problem = await reachability.problem() {
            logger.warning(
                "the provider cannot be reached; calls to its service fail UNAVAILABLE until it is up",
                metadata: ["provider": "\(reachability.endpoint)", "reason": "\(problem)"]
            )
        }
        let forwarding = ForwardingService(
            methods: try ProviderMethods.read(descriptorSet: configuration.provider.descriptorSet),
            provider: provider,
            models: endpoints,
            maxResponseMessageBytes: configuration.provider.maxResponseMessageBytes,
            reachability: reachability
        )
        let server = try builder.makeServer(services: [forwarding])
        return TrainingGateway(server: server, provider: provider, slurmSweep: slurmSweep, logger: logger)
    }

    /// The port the gateway listens on, once it does (useful with port 0).
    public func listeningPort() async throws -> Int {
        try await server.listeningPort()
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.provider.runConnections() }
            let sweeping = Task { [slurmSweep] in await slurmSweep?.runPeriodically(every: .seconds(600)) }
            defer { sweeping.cancel() }
            // Returns after a graceful shutdown, once running calls (which use the provider
            // connection) have finished; only then is the connection closed.
            try await server.run()
            provider.beginGracefulShutdown()
        }
    }

    private static func providerTransport(_ provider: GatewayConfiguration.Provider) throws -> HTTP2ClientTransport.Posix {
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if provider.tls {
            security = .tls { tls in
                if let caFile = provider.caFile { tls.trustRoots = .certificates([.file(path: caFile, format: .pem)]) }
            }
        } else {
            security = .plaintext
        }
        return try HTTP2ClientTransport.Posix(
            target: .dns(host: provider.host, port: provider.port),
            transportSecurity: security,
            config: .defaults
        )
    }
}
