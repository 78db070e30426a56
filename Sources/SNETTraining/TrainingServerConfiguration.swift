public import Foundation
public import TrainingCore
public import TrainingDatasets
public import TrainingJobs
public import TrainingOperations

/// Settings of a trainable service's server.
public struct TrainingServerConfiguration: Sendable {
    /// Where the registry (`registry.sqlite`) and every model's files live.
    public var dataDirectory: URL
    /// The model registry: nil for the SQLite file `registry.sqlite` in ``dataDirectory`` (one node),
    /// or `postgres://user:password@host:5432/database` for a PostgreSQL registry several nodes share
    /// (they must then share ``dataDirectory`` too, and each needs its own job worker name).
    public var registryURL: String? = nil
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one (see ``TrainingServer/listeningPort()``).
    public var port: Int
    /// Largest request message accepted, in bytes. The SDK uploads 1 MiB chunks; inference inputs
    /// (audio, images) may be larger. Dataset size limits are enforced by the handlers, not here:
    /// over this limit the transport resets the stream and the consumer only sees CANCELLED.
    public var maxRequestMessageBytes: Int
    /// HTTP/2 window and frame sizes advertised to clients: large enough that uploads run at disk
    /// speed (see ``HTTP2Settings``).
    public var http2: HTTP2Settings = .defaults
    /// The job runner's concurrency, node name and recovery timing.
    public var jobs: JobRunnerConfiguration
    /// Prices, model access and quota of each trainable method.
    public var policies: MethodPolicies
    /// Server-wide caps on live models and pending jobs.
    public var limits: ServerLimits
    /// Where `validate_model` links may point, and download limits.
    public var links: DatasetLinkPolicy
    /// Trained models kept loaded per trainable method.
    public var loadedModelsPerMethod: Int
    /// Inference calls run at once and queued per method, and the threads they run on.
    public var inference: InferenceLimits = .defaults
    /// TLS on the gRPC port (mutual TLS with a client CA); nil for plaintext, as behind a daemon on
    /// the same host.
    public var tls: TrainingServerTLS? = nil
    /// The admin HTTP listener (`/metrics`, `/healthz`, `/readyz`, the dashboard); nil for none.
    public var admin: AdminListenerConfiguration? = nil
    /// Log line format, for executables that bootstrap logging with ``TrainingLogging``.
    public var logFormat: LogFormat = .text
    /// How long a graceful shutdown reports NOT_SERVING before it stops accepting calls, so load
    /// balancers that poll health move traffic away first. Zero stops accepting at once.
    public var shutdownDrainDelay: Duration = .zero
    /// Idle time after which a client connection is closed, and the most open at once
    /// (``ConnectionLimits/defaults``: 60 s, 1024).
    public var connections: ConnectionLimits = .defaults
    /// When free memory goes back to the system (``MemoryReturn/defaults``: after 10 s idle).
    public var memory: MemoryReturn = .defaults
    /// How often the registry is probed for the health status.
    public var registryProbeInterval: Duration = .seconds(2)

    /// Listens on 127.0.0.1:5002, keeps data in `./data`, accepts 8 MiB messages, gives every method
    /// ``MethodPolicy/defaults`` (1 cog per call, open access, the proto's quota), caps the server at
    /// ``ServerLimits/defaults``, follows only links to public addresses (``DatasetLinkPolicy/defaults``),
    /// keeps 8 loaded models per method, and runs jobs with ``JobRunnerConfiguration/defaults``.
    public static var defaults: TrainingServerConfiguration {
        TrainingServerConfiguration(
            dataDirectory: URL(filePath: "data", directoryHint: .isDirectory),
            host: "127.0.0.1",
            port: 5002,
            maxRequestMessageBytes: 8 * 1024 * 1024,
            jobs: .defaults,
            policies: .defaults,
            limits: .defaults,
            links: .defaults,
            loadedModelsPerMethod: 8
        )
    }

    public init(
        dataDirectory: URL,
        host: String,
        port: Int,
        maxRequestMessageBytes: Int,
        jobs: JobRunnerConfiguration,
        policies: MethodPolicies,
        limits: ServerLimits,
        links: DatasetLinkPolicy,
        loadedModelsPerMethod: Int
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.maxRequestMessageBytes = maxRequestMessageBytes
        self.jobs = jobs
        self.policies = policies
        self.limits = limits
        self.links = links
        self.loadedModelsPerMethod = loadedModelsPerMethod
    }
}
