public import Foundation
public import GRPCCore
public import Logging
import ServiceLifecycle
import Synchronization
public import TrainingCore
import TrainingDatasets
public import TrainingEngine
public import TrainingGRPC
import TrainingJobs
import TrainingRegistry

/// Makes a gRPC service trainable: reads the service's descriptor set, opens the model registry,
/// takes a ``Trainer`` per trainable method, and builds the server that serves `training.Model`
/// beside the provider's own service on one port.
///
/// ```swift
/// let training = try await TrainingServerBuilder.open(descriptorSet: data, configuration: .defaults, logger: logger)
/// let stt = try training.endpoint(service: "service.ExampleService", method: "stt", trainer: SpeechTrainer(), defaultModel: model)
/// let server = try training.makeServer(services: [ExampleService(stt: stt)])
/// try await ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class TrainingServerBuilder: Sendable {
    public let catalog: TrainableMethodCatalog
    package let registry: any ModelRegistry
    public let configuration: TrainingServerConfiguration
    let files: ModelFiles
    private let logger: Logger
    private let bindings = Mutex<[MethodName: TrainerBinding]>([:])
    private let closeRegistry: @Sendable () async -> Void
    /// The registry's database client, when it needs to run (PostgreSQL's connection pool).
    private let registryService: (any Service)?
    private let descriptorSet: Data

    /// Opens (creating if needed) the data directory and the registry: the SQLite file in it, or the
    /// PostgreSQL database of ``TrainingServerConfiguration/registryURL``.
    public static func open(
        descriptorSet: Data,
        configuration: TrainingServerConfiguration,
        logger: Logger
    ) async throws -> TrainingServerBuilder {
        // Before the registry and the first model load make threads that allocate.
        configuration.memory.applyArenaLimit()
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let sessions: any SQLSessionProvider
        var registryService: (any Service)?
        // One process per SQLite registry: taken before the file is opened, held until it closes.
        let lock = (configuration.registryURL ?? "").isEmpty ? try RegistryLock(dataDirectory: configuration.dataDirectory) : nil
        if let url = configuration.registryURL, !url.isEmpty {
            let postgres = try PostgresSessionProvider(url: url, logger: logger)
            sessions = postgres
            registryService = postgres
        } else {
            let path = configuration.dataDirectory.appending(path: "registry.sqlite").path(percentEncoded: false)
            sessions = try await SQLiteSessionProvider.open(path: path, logger: logger)
        }
        let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
        return try TrainingServerBuilder(
            descriptorSet: descriptorSet, registry: registry, configuration: configuration,
            closeRegistry: {
                await registry.shutdown()
                lock?.release()
            },
            registryService: registryService, logger: logger
        )
    }

    /// Uses `registry` (for example an ``InMemoryModelRegistry``) instead of opening one; the data
    /// directory still holds the datasets and trained models.
    package static func open(
        descriptorSet: Data,
        configuration: TrainingServerConfiguration,
        registry: any ModelRegistry,
        logger: Logger
    ) throws -> TrainingServerBuilder {
        configuration.memory.applyArenaLimit()
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        return try TrainingServerBuilder(
            descriptorSet: descriptorSet, registry: registry, configuration: configuration, closeRegistry: {}, registryService: nil,
            logger: logger
        )
    }

    private init(
        descriptorSet: Data, registry: any ModelRegistry, configuration: TrainingServerConfiguration,
        closeRegistry: @escaping @Sendable () async -> Void, registryService: (any Service)?, logger: Logger
    ) throws {
        self.catalog = try TrainableMethodCatalog(descriptorSet: descriptorSet)
        self.descriptorSet = descriptorSet
        self.registry = registry
        self.closeRegistry = closeRegistry
        self.registryService = registryService
        self.configuration = configuration
        self.files = ModelFiles(dataDirectory: configuration.dataDirectory, diskReserveBytes: configuration.limits.diskReserveBytes)
        self.logger = logger
    }

    /// Registers the trainer of one trainable method and returns what its inference handler uses.
    /// Call once per trainable method, before ``makeServer(services:)``.
    public func endpoint<T: Trainer>(
        service: String,
        method: String,
        trainer: T,
        defaultModel: T.Model? = nil
    ) throws -> InferenceEndpoint<T> {
        let name = MethodName(service: service, method: method)
        guard let trainable = catalog.methods[name] else {
            throw TrainingError.invalidArgument(
                "\(name) is not a trainable method in the descriptor set (its input needs a training.ModelID field). Trainable: \(catalog.trainableList)."
            )
        }
        bindings.withLock { $0[name] = TrainerBinding(method: trainable, trainer: AnyTrainer(trainer)) }
        return InferenceEndpoint(
            method: trainable, access: configuration.policies[name].access, trainer: trainer, defaultModel: defaultModel, registry: registry, files: files,
            cacheCapacity: configuration.loadedModelsPerMethod, limits: configuration.inference,
            executor: .shared(name: "inference", threads: configuration.inference.threads)
        )
    }

    /// The server: `training.Model` and `services` on one port, with the job runner.
    public func makeServer(services: [any RegistrableRPCService]) throws -> TrainingServer {
        let bindings = bindings.withLock { $0 }
        let unbound = catalog.methods.keys.filter { bindings[$0] == nil }
        if !unbound.isEmpty {
            logger.warning("trainable methods without a trainer; create_model works for them but jobs fail", metadata: ["methods": "\(unbound)"])
        }
        var jobs = configuration.jobs
        jobs.executor = jobs.executor ?? .shared(name: "jobs", threads: jobs.concurrency)
        var limits = configuration.limits
        limits.maxRequestMessageBytes = UInt64(configuration.maxRequestMessageBytes)
        let (workflow, runner) = TrainingWorkflow.assemble(
            registry: registry, catalog: catalog, bindings: bindings, files: files,
            links: DatasetLinkFetcher(policy: configuration.links), policies: configuration.policies,
            limits: limits, jobs: jobs, logger: logger
        )
        do {
            return try TrainingServer(
                configuration: configuration,
                services: [ModelServiceHandler(workflow: workflow)] + (try ServerReflection.services(descriptorSet: descriptorSet)) + services,
                runner: runner,
                registryProbe: { [registry] in _ = try await registry.liveModelCount() },
                browsing: registry as? any ModelRegistry & ModelRegistryBrowsing,
                registryService: registryService,
                onShutdown: closeRegistry,
                logger: logger
            )
        } catch {
            // No server will run to close the registry at its shutdown (a bad TLS file, say):
            // close it here, so its connections are not left open.
            Task { [closeRegistry] in await closeRegistry() }
            throw error
        }
    }
}
