public import Foundation
import Logging
public import SNETTraining
import TrainingClient
public import TrainingCore
public import TrainingDatasets
public import TrainingEngine
public import TrainingJobs

/// The training workflow with its job runner over the in-memory registry and a scratch data
/// directory: the engine's own tests run here, without SQL or a transport. Every wait of the
/// workflow and the runner (an upload's idle timeout, a link's download timeout, polls,
/// heartbeats, a job's time limit) is on ``clock``, which moves only when a test advances it.
public final class InMemoryEngine: Sendable {
    /// The one trainable method: text datasets (zip, tar, tar.gz of `.txt`), at most 10 MB.
    public static let method = TrainableMethod(
        name: MethodName(service: "service.ExampleService", method: "stt"),
        options: TrainingOptions(
            defaultModelID: "default", maxModelsPerUser: 5, datasetMaxSizeMB: 10, datasetMaxCountFiles: 100,
            datasetMaxSizeSingleFileMB: 1, datasetFilesTypes: ["txt"], datasetTypes: ["zip", "tar", "tar.gz"]
        )
    )

    public let workflow: TrainingWorkflow
    public let runner: JobRunner
    public let registry: ObservedModelRegistry
    public let dataDirectory: URL
    public let files: ModelFiles
    public let clock = TestClock()
    private let running: Task<Void, any Error>

    public init(
        trainer: some Trainer,
        registry: any ModelRegistry = InMemoryModelRegistry(),
        policies: MethodPolicies = .defaults,
        limits: ServerLimits = .defaults,
        links: DatasetLinkPolicy = .defaults,
        jobs: JobRunnerConfiguration = JobRunnerConfiguration(
            concurrency: 2, workerName: "engine-test", lease: .seconds(3), pollInterval: .milliseconds(20), maxAttempts: 3
        )
    ) throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let method = Self.method
        let observed = ObservedModelRegistry(registry)
        let files = ModelFiles(dataDirectory: directory)
        (workflow, runner) = TrainingWorkflow.assemble(
            registry: observed,
            catalog: TrainableMethodCatalog(methods: [method]),
            bindings: [method.name: TrainerBinding(method: method, trainer: AnyTrainer(trainer))],
            files: files,
            links: DatasetLinkFetcher(policy: links, clock: clock),
            policies: policies,
            limits: limits,
            jobs: jobs,
            sleeper: clock,
            logger: Logger(label: "engine-test")
        )
        self.registry = observed
        self.dataDirectory = directory
        self.files = files
        running = Task { [runner] in try await runner.run() }
    }

    /// Creates a model of the one method.
    public func createModel(caller: String? = nil, addresses: [String] = [], isPublic: Bool = false, name: String = "test") async throws -> String {
        var request = NewModelRequest(grpcServiceName: Self.method.name.service, grpcMethodName: Self.method.name.method)
        request.addressList = addresses
        request.isPublic = isPublic
        request.name = name
        return try await workflow.createModel(request, caller: caller).id
    }

    /// Uploads `archive` in the SDK's 1 MiB pieces (``DatasetUpload``), read as they are consumed.
    public func upload(_ archive: URL, to modelID: String) async throws -> ModelStatus {
        try await workflow.upload(try DatasetUpload(file: archive).messages(modelID: modelID).map { @Sendable in UploadChunk($0) })
    }

    /// Waits until the model reaches one of `statuses`, reading it again after each registry write;
    /// `timeout` (real time) only ends a test that would otherwise hang.
    public func wait(_ modelID: String, until statuses: Set<ModelStatus>, timeout: Duration = .seconds(30)) async throws -> ModelRecord {
        try await registry.changes.read(until: { statuses.contains($0.status) }, timeout: timeout) {
            try await workflow.status(of: modelID)
        }
    }

    /// A model created, given `archive` and validated.
    public func validatedModel(_ archive: URL, caller: String? = nil, addresses: [String] = [], isPublic: Bool = false) async throws -> String {
        let id = try await createModel(caller: caller, addresses: addresses, isPublic: isPublic)
        _ = try await upload(archive, to: id)
        let model = try await wait(id, until: [.validated, .errored])
        guard model.status == .validated else { throw TrainingError.internalError("validation ended \(model.status): \(model.statusDetail ?? "")") }
        return id
    }

    /// A model created, validated on `archive` and trained.
    public func trainedModel(_ archive: URL, caller: String? = nil, addresses: [String] = [], isPublic: Bool = false) async throws -> String {
        let id = try await validatedModel(archive, caller: caller, addresses: addresses, isPublic: isPublic)
        _ = try await workflow.train(id)
        let model = try await wait(id, until: [.readyToUse, .errored])
        guard model.status == .readyToUse else { throw TrainingError.internalError("training ended \(model.status): \(model.statusDetail ?? "")") }
        return id
    }

    /// Inference with the one method's models, as a service's handler runs it, over this engine's
    /// registry and files.
    public func endpoint<T: Trainer>(trainer: T, defaultModel: T.Model?, access: ModelAccessPolicy = .open) -> InferenceEndpoint<T> {
        InferenceEndpoint(
            method: Self.method, access: access, trainer: trainer, defaultModel: defaultModel, registry: registry, files: files,
            cacheCapacity: 2, executor: .shared(name: "engine-test-inference", threads: 1)
        )
    }

    /// Stops the runner and removes the data directory.
    public func stop() {
        running.cancel()
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
