import Foundation
import Logging
import SNETTraining
import Testing
import TrainingCore
import TrainingDatasets
import TrainingProto
import TrainingRegistry
import TrainingTesting

/// The default worker name is distinct per process (`host#pid`), so two processes never re-queue
/// each other's running jobs as their own; a restarted process (a new pid) finds its previous
/// run's jobs once their lease has expired.
@Suite("Worker names")
struct WorkerNameTests {
    @Test("the default worker name is the host name and this process's id")
    func defaultName() {
        let name = JobRunnerConfiguration.defaults.workerName
        #expect(name == "\(ProcessInfo.processInfo.hostName)#\(ProcessInfo.processInfo.processIdentifier)")
        #expect(name == JobRunnerConfiguration.processWorkerName)
    }

    @Test("a job left running by a crashed process under another name is re-queued by lease expiry and finished by the restarted node")
    func crashedRunRecovered() async throws {
        let scratch = try ScratchDirectory()
        let data = scratch.file("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let modelID = try await Self.leaveRunningValidation(in: data, worker: "\(ProcessInfo.processInfo.hostName)#999999", leaseSeconds: 2)

        let server = try await startTextServer(dataDirectory: data) {
            $0.jobs.workerName = JobRunnerConfiguration.processWorkerName
            $0.jobs.lease = .seconds(1)
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let settled = try await client.waitWhileBusy(modelID, timeout: .seconds(60))
            #expect(settled == .validated)
        }
        try await server.stop()
    }

    /// What a process that crashed mid-validation leaves in a SQLite registry: a VALIDATING model
    /// whose job is running under `worker` with a lease of `leaseSeconds` from now.
    static func leaveRunningValidation(in data: URL, worker: String, leaseSeconds: Double) async throws -> String {
        var logger = Logger(label: "crashed-node")
        logger.logLevel = .critical
        let sessions = try await SQLiteSessionProvider.open(path: data.appending(path: "registry.sqlite").path(percentEncoded: false), logger: logger)
        let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
        let files = ModelFiles(dataDirectory: data)
        var model = ModelRecord(id: ModelIdentifier.generate(), method: MethodName(service: "service.ExampleService", method: "stt"), now: Date())
        try await registry.create(model)
        let archive = try files.newPath(for: model.id, in: .datasets, suffix: ".zip")
        try ArchiveBuilder.textDataset(at: archive)
        let size = try Data(contentsOf: archive).count
        let dataset = DatasetReference(path: files.relativePath(of: archive), originalName: "texts.zip", byteCount: UInt64(size), sha256: "")
        model = try await registry.model(id: model.id) ?? model
        try model.beginValidation(dataset: dataset, link: nil, now: Date())
        _ = try await registry.save(model, enqueueing: TrainingJob(id: UUID().uuidString, modelID: model.id, kind: .validate, now: Date()))
        let claimed = try await registry.claimJob(worker: worker, leaseExpiresAt: Date().addingTimeInterval(leaseSeconds))
        try #require(claimed != nil)
        await registry.shutdown()
        return model.id
    }
}
