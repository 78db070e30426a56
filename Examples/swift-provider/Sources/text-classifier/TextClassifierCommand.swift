import ArgumentParser
import Foundation
import Logging
import SNETTraining
import ServiceLifecycle
import TextClassifier
import UnixSignals

/// `text-classifier`: serves `classifier.TextClassifier` and `training.Model` on one port.
///
/// Settings come from the flags, then `TEXT_CLASSIFIER_*` environment variables, then the
/// configuration file, then the built-in defaults (config/text-classifier.yaml lists them).
@main
struct TextClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-classifier",
        abstract: "Serve the trainable text classifier (classifier.TextClassifier + training.Model)."
    )

    @Option(help: "Configuration file, YAML or JSON (default: $TEXT_CLASSIFIER_CONFIG, else none).")
    var config: String?

    @Option(help: "Port to listen on, 0 picks a free one (server.port; default 5002).")
    var port: Int?

    @Option(help: "Directory for the model registry, datasets and trained models (server.dataDirectory; default ./data).")
    var dataDir: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var flags: [String: ConfigurationSources.Value] = [:]
        if let port { flags["server.port"] = .int(port) }
        if let dataDir { flags["server.dataDirectory"] = .string(dataDir) }
        let sources = ConfigurationSources(
            filePath: config ?? environment["TEXT_CLASSIFIER_CONFIG"],
            environment: environment,
            environmentPrefix: "TEXT_CLASSIFIER",
            commandLine: flags
        )
        let configuration = try await TextClassifierConfiguration.load(from: sources)
        TrainingLogging.bootstrap(level: configuration.library.logLevel, format: configuration.library.server.logFormat)
        let logger = Logger(label: "text-classifier")
        for note in configuration.library.notes { logger.notice("\(note)") }
        let server = try await TextClassifierServer.make(
            configuration: configuration.library.server, limits: configuration.limits, logger: logger
        )
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
