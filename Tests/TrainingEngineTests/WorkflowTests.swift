import Foundation
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingTesting

/// The eight operations on the in-memory registry: no SQL, no transport, each test well under a second.
@Suite("Training workflow on in-memory twins")
struct WorkflowTests {
    @Test("create, upload, validate, train, delete: every status saved before it is returned")
    func lifecycle() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)

        let id = try await engine.createModel(caller: "0x00000000000000000000000000000000000000aa")
        #expect(try await engine.workflow.status(of: id).status == .created)
        #expect(try await engine.upload(archive, to: id) == .validating)
        let validated = try await engine.wait(id, until: [.validated, .errored])
        #expect(validated.status == .validated, "\(validated.statusDetail ?? "")")
        #expect(validated.dataset?.originalName == "texts.zip" && validated.datasetDirectory != nil)

        #expect(try await engine.workflow.train(id) == .training)
        let ready = try await engine.wait(id, until: [.readyToUse, .errored])
        #expect(ready.status == .readyToUse, "\(ready.statusDetail ?? "")")
        #expect(ready.statusDetail?.hasPrefix("Learned") == true)

        #expect(try await engine.workflow.delete(id) == .deleted)
        #expect(try await engine.workflow.status(of: id).status == .deleted)
        #expect(!FileManager.default.fileExists(atPath: engine.dataDirectory.appending(path: "models/\(id)").path(percentEncoded: false)))
    }

    @Test("a state that does not allow the call is refused before anything is written")
    func refusals() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let id = try await engine.createModel()
        let before = try await engine.workflow.status(of: id)
        let error = await #expect(throws: TrainingError.self) { try await engine.workflow.train(id) }
        #expect(error?.code == .failedPrecondition)
        #expect(try await engine.workflow.status(of: id) == before)
        let unknown = await #expect(throws: TrainingError.self) { try await engine.workflow.status(of: "0123456789abcdef0123456789abcdef") }
        #expect(unknown?.code == .notFound)
        let defaultModel = await #expect(throws: TrainingError.self) { try await engine.workflow.delete("default") }
        #expect(defaultModel?.code == .failedPrecondition)
    }

    @Test("the transport's largest message bounds the batches: a batch_count too small for file_size is refused at once")
    func batchesBoundedByMessageSize() async throws {
        var limits = ServerLimits.defaults
        limits.maxRequestMessageBytes = 1 << 20
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(), limits: limits)
        defer { engine.stop() }
        let id = try await engine.createModel()
        // 3 MiB in 2 messages needs 1.5 MiB messages; this server takes at most 1 MiB.
        let first = UploadChunk(
            modelID: id, data: Data(count: 1024), fileName: "d.zip", fileSize: 3 << 20, batchSize: 1024, batchNumber: 1, batchCount: 2
        )
        let error = await #expect(throws: TrainingError.self) {
            _ = try await engine.workflow.upload(
                AsyncStream {
                    $0.yield(first); $0.finish()
                })
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("larger than the 1.00 MiB a message may carry") == true, "\(error?.message ?? "")")
        #expect(try await engine.workflow.status(of: id).status == .created)
    }

    @Test("a dataset the trainer rejects ends ERRORED with the trainer's reason")
    func rejectedDataset() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let archive = scratch.url.appending(path: "one-label.zip")
        try ArchiveBuilder.zip(["only/a.txt": Data("hello".utf8)], at: archive)
        let id = try await engine.createModel()
        _ = try await engine.upload(archive, to: id)
        let ended = try await engine.wait(id, until: [.validated, .errored])
        #expect(ended.status == .errored)
        #expect(ended.statusDetail?.contains("at least two label folders") == true)
    }

    @Test("a new dataset can replace a validated one, and a model can be retrained; the replaced dataset is removed")
    func retrain() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let id = try await engine.trainedModel(archive)
        #expect(try await engine.workflow.train(id) == .training)
        #expect(try await engine.wait(id, until: [.readyToUse, .errored]).status == .readyToUse)
        #expect(try await engine.upload(archive, to: id) == .validating)
        #expect(try await engine.wait(id, until: [.validated, .errored]).status == .validated)
        let datasets = engine.dataDirectory.appending(path: "models/\(id)/datasets").path(percentEncoded: false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: datasets).count == 1, "the replaced dataset is removed")
    }
}
