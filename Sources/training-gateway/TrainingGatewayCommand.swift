import ArgumentParser
import Foundation
import Logging
import SNETTraining
import ServiceLifecycle
import TrainingGateway
import UnixSignals

/// `training-gateway`: makes a gRPC service in any language trainable. Serves `training.Model`
/// (trainers run as the provider's own programs) and forwards every call of the provider's service
/// to it, on one port, so the daemon's `service_endpoint` and `model_maintenance_endpoint` can both
/// point here.
@main
struct TrainingGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-gateway",
        abstract: "Make a gRPC service in any language trainable on SingularityNET.",
        discussion: """
            Settings come from the configuration file (--config or $TRAINING_GATEWAY_CONFIG), from \
            TRAINING_GATEWAY_* environment variables (TRAINING_GATEWAY_PROVIDER_ENDPOINT) and from the flags; \
            flags win over variables, variables over the file. See Examples/python-intent/gateway.yaml.
            """
    )

    static let environmentPrefix = "TRAINING_GATEWAY"

    @Option(help: "Configuration file, YAML or JSON (default: $TRAINING_GATEWAY_CONFIG).")
    var config: String?

    @Option(help: "Address to listen on (server.host; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 0 picks a free one (server.port; default 5002).")
    var port: Int?

    @Option(help: "Directory for the model registry, datasets and trained models (server.dataDirectory; default ./data).")
    var dataDir: String?

    @Option(help: "The provider's gRPC server, host:port (provider.endpoint).")
    var provider: String?

    @Option(help: "The provider's compiled descriptor set (provider.descriptorSet).")
    var descriptorSet: String?

    @Option(help: "Validation and training jobs run at once (jobs.concurrency; default: the number of cores).")
    var jobConcurrency: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (logLevel; default info).")
    var logLevel: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let sources = ConfigurationSources(
            filePath: config ?? environment["\(Self.environmentPrefix)_CONFIG"],
            environment: environment,
            environmentPrefix: Self.environmentPrefix,
            commandLine: commandLineValues
        )
        let loaded: GatewayConfiguration
        do {
            loaded = try await GatewayConfiguration.load(sources: sources)
        } catch {
            // Nothing has started yet: say what is wrong and stop (EX_CONFIG).
            FileHandle.standardError.write(Data("training-gateway: \(error)\n".utf8))
            throw ExitCode(78)
        }
        // The library's handler: text or JSON lines (logFormat), each tagged with its RPC's request id.
        TrainingLogging.bootstrap(level: loaded.logLevel, format: loaded.server.logFormat)
        let logger = Logger(label: "training-gateway")
        for note in loaded.notes { logger.notice("\(note)") }
        let gateway = try await TrainingGateway.make(configuration: loaded, logger: logger)
        let group = ServiceGroup(services: [gateway], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// The flags given, by configuration key; they are checked like any other value.
    private var commandLineValues: [String: ConfigurationSources.Value] {
        var values = ConfigurationSources.serverFlags(
            host: host, port: port, dataDirectory: dataDir, jobConcurrency: jobConcurrency, logLevel: logLevel)
        if let provider { values["provider.endpoint"] = .string(provider) }
        if let descriptorSet { values["provider.descriptorSet"] = .string(descriptorSet) }
        return values
    }
}
