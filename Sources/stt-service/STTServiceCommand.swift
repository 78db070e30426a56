import ArgumentParser
import Foundation
import Logging
import SNETTraining
import STTService
import ServiceLifecycle
import UnixSignals

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
        let environment = ProcessInfo.processInfo.environment
        let sources = ConfigurationSources(
            filePath: config ?? environment["\(Self.environmentPrefix)_CONFIG"],
            environment: environment,
            environmentPrefix: Self.environmentPrefix,
            commandLine: commandLineValues
        )
        let loaded: LoadedConfiguration
        do {
            let catalog = try TrainableMethodCatalog(descriptorSet: STTServer.descriptorSet)
            loaded = try await sources.load(methods: Array(catalog.methods.values), base: .defaults)
        } catch {
            // Nothing has started yet: say what is wrong and stop (EX_CONFIG).
            FileHandle.standardError.write(Data("stt-service: \(error)\n".utf8))
            throw ExitCode(78)
        }
        // Standard error: unbuffered, so nothing is lost when the process is stopped.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = loaded.logLevel
            return handler
        }
        let logger = Logger(label: "stt-service")
        for note in loaded.notes { logger.notice("\(note)") }
        guard let dataset = Bundle.module.url(forResource: "DefaultDataset", withExtension: nil) else {
            throw ValidationError("The default dataset is missing from the build (Sources/stt-service/DefaultDataset).")
        }
        let server = try await STTServer.make(configuration: loaded.server, defaultDataset: dataset, logger: logger)
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// The flags given, by configuration key; the configuration reader checks their values like any other.
    private var commandLineValues: [String: ConfigurationSources.Value] {
        var values: [String: ConfigurationSources.Value] = [:]
        if let host { values["server.host"] = .string(host) }
        if let port { values["server.port"] = .int(port) }
        if let dataDir { values["server.dataDirectory"] = .string(dataDir) }
        if let jobConcurrency { values["jobs.concurrency"] = .int(jobConcurrency) }
        if let fileLinkRoot { values["links.fileLinkRoot"] = .string(fileLinkRoot) }
        if let logLevel { values["logLevel"] = .string(logLevel) }
        return values
    }
}
