import ArgumentParser
import Foundation
import Logging
import SNETTraining
import STTService
import TrainingOperations
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif

/// `stt-service`: the guide's example speech-command service, trainable through the SingularityNET
/// daemon's training API. Serves `service.ExampleService` and `training.Model` on one port.
///
/// Settings come from the flags, then `STT_SERVICE_*` environment variables, then the configuration
/// file (`--config`, or `STT_SERVICE_CONFIG`), then built-in defaults; see config/stt-service.yaml.
@main
struct STTServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stt-service",
        abstract: "Serve the trainable speech-command example (service.ExampleService + training.Model).",
        discussion: """
            Every setting can also come from an environment variable (STT_SERVICE_ and the key in capitals: \
            STT_SERVICE_SERVER_PORT) or from the configuration file; flags win over variables, variables over the file.

            Exit codes:
              0   stopped by SIGTERM or SIGINT after a graceful shutdown
              1   any other failure (logged), e.g. a registry that cannot be opened
              64  the command line is wrong
              69  the port cannot be bound (in use, privileged, or not this machine's address)
              73  the data directory cannot be created or written
              75  another process holds the data directory's SQLite registry (its pid is named)
              78  the configuration is not valid, or its file is missing or unreadable
            """
    )

    /// The prefix of every environment variable the service reads.
    static let environmentPrefix = "STT_SERVICE"

    @Option(
        help: "Configuration file, YAML or JSON (default: $STT_SERVICE_CONFIG, else none). See config/stt-service.yaml."
    )
    var config: String?

    @Option(help: "Address to listen on (server.host; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 0 picks a free one (server.port; default 5002).")
    var port: Int?

    @Option(
        help: "Directory for the model registry, datasets and trained models (server.dataDirectory; default ./data)."
    )
    var dataDir: String?

    @Option(help: "Validation and training jobs run at once (jobs.concurrency; default: the number of cores).")
    var jobConcurrency: Int?

    @Option(
        help: "Directory that file:// dataset links may read from (links.fileLinkRoot; default: file links refused)."
    )
    var fileLinkRoot: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (logLevel; default info).")
    var logLevel: String?

    func run() async throws {
        do {
            try await serve()
        } catch let failure as StartupFailure {
            throw failure.exit()
        }
    }

    /// Start-up in the order that makes failures cheap: configuration, then the port and the data
    /// directory (seconds), then the registry, and only then the default model (which may train
    /// for a while on a first start).
    private func serve() async throws {
        let environment = ProcessInfo.processInfo.environment
        let sources = ConfigurationSources(
            filePath: config ?? environment["\(Self.environmentPrefix)_CONFIG"],
            environment: environment,
            environmentPrefix: Self.environmentPrefix,
            commandLine: commandLineValues
        )
        let loaded: LoadedConfiguration
        let limits: SpeechLimits
        do {
            let configuration = try await STTServiceConfiguration.load(from: sources)
            (loaded, limits) = (configuration.loaded, configuration.speech)
        } catch {
            throw StartupFailure(kind: .configuration, message: "\(error)")
        }
        try StartupChecks.portIsFree(host: loaded.server.host, port: loaded.server.port)
        if let admin = loaded.server.admin { try StartupChecks.portIsFree(host: admin.host, port: admin.port, for: .admin) }
        try StartupChecks.dataDirectoryIsUsable(loaded.server.dataDirectory)
        // Standard error: unbuffered, so nothing is lost when the process is stopped.
        // Text or JSON lines (logFormat), each tagged with the request id of the RPC that wrote it.
        TrainingLogging.bootstrap(level: loaded.logLevel, format: loaded.server.logFormat)
        let logger = Logger(label: "stt-service")
        for note in loaded.notes { logger.notice("\(note)") }
        guard let dataset = Bundle.module.url(forResource: "DefaultDataset", withExtension: nil) else {
            throw ValidationError("The default dataset is missing from the build (Sources/stt-service/DefaultDataset).")
        }
        let server: TrainingServer
        do {
            server = try await STTServer.make(configuration: loaded.server, defaultDataset: dataset, limits: limits, logger: logger)
        } catch let inUse as DataDirectoryInUse {
            throw StartupFailure(kind: .dataDirectoryInUse, message: "\(inUse)")
        }
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch  where "\(error)".contains("Address already in use") {
            // Another process took a port after the checks above: the admin port if it is taken
            // now (this server's listeners are closed by the time the group has thrown).
            if let admin = loaded.server.admin, (try? StartupChecks.portIsFree(host: admin.host, port: admin.port, for: .admin)) == nil {
                throw StartupFailure(
                    kind: .cannotListen, message: StartupChecks.listenProblem(errno: EADDRINUSE, host: admin.host, port: admin.port, for: .admin)
                )
            }
            throw StartupFailure(
                kind: .cannotListen,
                message: StartupChecks.listenProblem(errno: EADDRINUSE, host: loaded.server.host, port: loaded.server.port)
            )
        }
    }

    /// The flags given, by configuration key; the configuration reader checks their values like any other.
    private var commandLineValues: [String: ConfigurationSources.Value] {
        var values = ConfigurationSources.serverFlags(
            host: host, port: port, dataDirectory: dataDir, jobConcurrency: jobConcurrency, logLevel: logLevel)
        if let fileLinkRoot { values["links.fileLinkRoot"] = .string(fileLinkRoot) }
        return values
    }
}
