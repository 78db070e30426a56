import ArgumentParser
import Foundation
import Logging
import SNETTraining
import STTService
import ServiceLifecycle
import UnixSignals

/// `stt-service`: the guide's example speech-command service, trainable through the SingularityNET
/// daemon's training API. Serves `service.ExampleService` and `training.Model` on one port.
@main
struct STTServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stt-service",
        abstract: "Serve the trainable speech-command example (service.ExampleService + training.Model)."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 5002

    @Option(help: "Directory for the model registry, datasets and trained models.")
    var dataDir = "./data"

    @Option(help: "Validation and training jobs run at once (default: the number of cores).")
    var jobConcurrency: Int?

    @Option(help: "Directory that file:// dataset links may read from (default: file links refused).")
    var fileLinkRoot: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        if let jobConcurrency, jobConcurrency < 1 { throw ValidationError("--job-concurrency must be at least 1.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // Standard error: unbuffered, so nothing is lost when the process is stopped.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "stt-service")
        var configuration = TrainingServerConfiguration.defaults
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = URL(filePath: dataDir, directoryHint: .isDirectory)
        if let jobConcurrency { configuration.jobs.concurrency = jobConcurrency }
        configuration.links.fileLinkRoot = fileLinkRoot.map { URL(filePath: $0, directoryHint: .isDirectory) }
        guard let dataset = Bundle.module.url(forResource: "DefaultDataset", withExtension: nil) else {
            throw ValidationError("The default dataset is missing from the build (Sources/stt-service/DefaultDataset).")
        }
        let server = try await STTServer.make(configuration: configuration, defaultDataset: dataset, logger: logger)
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
