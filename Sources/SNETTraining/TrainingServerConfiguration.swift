public import Foundation
public import TrainingCore
public import TrainingDatasets
public import TrainingJobs

/// Settings of a trainable service's server.
public struct TrainingServerConfiguration: Sendable {
    /// Where the registry (`registry.sqlite`) and every model's files live.
    public var dataDirectory: URL
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one (see ``TrainingServer/listeningPort()``).
    public var port: Int
    /// Largest request message accepted, in bytes. The SDK uploads 1 MiB chunks; inference inputs
    /// (audio, images) may be larger. Dataset size limits are enforced by the handlers, not here:
    /// over this limit the transport resets the stream and the consumer only sees CANCELLED.
    public var maxRequestMessageBytes: Int
    /// The job runner's concurrency, node name and recovery timing.
    public var jobs: JobRunnerConfiguration
    /// Prices of validation and training.
    public var pricing: any PricingPolicy
    /// Where `validate_model` links may point, and download limits.
    public var links: DatasetLinkPolicy
    /// Trained models kept loaded per trainable method.
    public var loadedModelsPerMethod: Int

    /// Listens on 127.0.0.1:5002, keeps data in `./data`, accepts 8 MiB messages, prices 1 cog each,
    /// follows only links to public addresses (``DatasetLinkPolicy/defaults``), keeps 8 loaded models per method, and runs jobs with
    /// ``JobRunnerConfiguration/defaults``.
    public static var defaults: TrainingServerConfiguration {
        TrainingServerConfiguration(
            dataDirectory: URL(filePath: "data", directoryHint: .isDirectory),
            host: "127.0.0.1",
            port: 5002,
            maxRequestMessageBytes: 8 * 1024 * 1024,
            jobs: .defaults,
            pricing: FlatPricing(),
            links: .defaults,
            loadedModelsPerMethod: 8
        )
    }

    public init(
        dataDirectory: URL, host: String, port: Int, maxRequestMessageBytes: Int, jobs: JobRunnerConfiguration,
        pricing: any PricingPolicy, links: DatasetLinkPolicy, loadedModelsPerMethod: Int
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.maxRequestMessageBytes = maxRequestMessageBytes
        self.jobs = jobs
        self.pricing = pricing
        self.links = links
        self.loadedModelsPerMethod = loadedModelsPerMethod
    }
}
