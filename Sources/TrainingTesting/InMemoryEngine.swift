public import Foundation
import Logging
public import SNETTraining
import TrainingClient
public import TrainingCore
import TrainingDatasets
public import TrainingEngine
public import TrainingJobs

/// The training workflow with its job runner over the in-memory registry and a scratch data
/// directory: the engine's own tests run here, without SQL or a transport.
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
    public let registry: any ModelRegistry
    public let dataDirectory: URL
    private let running: Task<Void, any Error>

    public init(
        trainer: some Trainer,
        registry: any ModelRegistry = InMemoryModelRegistry(),
        limits: ServerLimits = .defaults,
        jobs: JobRunnerConfiguration = JobRunnerConfiguration(
            concurrency: 2, workerName: "engine-test", lease: .seconds(3), pollInterval: .milliseconds(20), maxAttempts: 3
        )
    ) throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let method = Self.method
        (workflow, runner) = TrainingWorkflow.assemble(
            registry: registry,
            catalog: TrainableMethodCatalog(methods: [method]),
            bindings: [method.name: TrainerBinding(method: method, trainer: AnyTrainer(trainer))],
            files: ModelFiles(dataDirectory: directory),
            links: DatasetLinkFetcher(),
            limits: limits,
            jobs: jobs,
            logger: Logger(label: "engine-test")
        )
        self.registry = registry
        self.dataDirectory = directory
        running = Task { [runner] in try await runner.run() }
    }

    /// Creates a model of the one method.
    public func createModel(caller: String? = nil) async throws -> String {
        let request = NewModelRequest(grpcServiceName: Self.method.name.service, grpcMethodName: Self.method.name.method)
        return try await workflow.createModel(request, caller: caller).id
    }

    /// Uploads `archive` in the SDK's 1 MiB pieces (``DatasetUpload``), read as they are consumed.
    public func upload(_ archive: URL, to modelID: String) async throws -> ModelStatus {
        try await workflow.upload(try DatasetUpload(file: archive).messages(modelID: modelID).map { @Sendable in UploadChunk($0) })
    }

    /// Polls until the model reaches one of `statuses`, or `timeout` passes.
    public func wait(_ modelID: String, until statuses: Set<ModelStatus>, timeout: Duration = .seconds(10)) async throws -> ModelRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            let model = try await workflow.status(of: modelID)
            if statuses.contains(model.status) || ContinuousClock.now >= deadline { return model }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the runner and removes the data directory.
    public func stop() {
        running.cancel()
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
