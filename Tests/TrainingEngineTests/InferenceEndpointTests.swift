import Foundation
import Synchronization
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingTesting

/// Inference on in-memory twins: which model a call gets, who may use it, and the bound on calls
/// at once, without a transport.
@Suite("Inference endpoint on in-memory twins")
struct InferenceEndpointTests {
    static let owner = "0x00000000000000000000000000000000000000aa"
    static let stranger = "0x00000000000000000000000000000000000000bb"

    @Test("an empty id or the method's default_model_id gives the default model; none configured is FAILED_PRECONDITION")
    func defaultModel() async throws {
        let fixture = try Fixture()
        let endpoint = fixture.endpoint()
        #expect(try await endpoint.model(for: "", caller: .anonymous) == Fixture.defaultModel)
        #expect(try await endpoint.model(for: "default", caller: .anonymous) == Fixture.defaultModel)
        let none = fixture.endpoint(defaultModel: nil)
        let error = await #expect(throws: TrainingError.self) { try await none.model(for: "", caller: .anonymous) }
        #expect(error?.code == .failedPrecondition)
    }

    @Test("a READY_TO_USE model is loaded from its artifact for a caller the policy allows")
    func trainedModel() async throws {
        let fixture = try Fixture()
        let id = try await fixture.readyModel(addressList: [Self.owner])
        let endpoint = fixture.endpoint(access: .restricted)
        let model = try await endpoint.model(for: id, caller: InferenceCaller(address: Self.owner.uppercased().replacing("0X", with: "0x")))
        #expect(model == Fixture.trainedModel)
    }

    @Test("unknown, malformed and other callers' private ids get the same NOT_FOUND")
    func notFound() async throws {
        let fixture = try Fixture()
        let id = try await fixture.readyModel(addressList: [Self.owner])
        let endpoint = fixture.endpoint(access: .restricted)
        var messages: Set<String> = []
        for (modelID, caller) in [
            (id, InferenceCaller(address: Self.stranger)), (id, .anonymous), (ModelIdentifier.generate(), InferenceCaller(address: Self.owner)),
        ] {
            let error = await #expect(throws: TrainingError.self) { try await endpoint.model(for: modelID, caller: caller) }
            #expect(error?.code == .notFound)
            messages.insert(error?.message.replacing(modelID, with: "ID") ?? "")
        }
        #expect(messages.count == 1, "\(messages)")
        let malformed = await #expect(throws: TrainingError.self) { try await endpoint.model(for: "../etc", caller: .anonymous) }
        #expect(malformed?.code == .notFound)
    }

    @Test("a model of another method is INVALID_ARGUMENT; one not READY_TO_USE is FAILED_PRECONDITION with its next step")
    func wrongStateOrMethod() async throws {
        let fixture = try Fixture()
        let other = TrainableMethod(name: MethodName(service: "service.ExampleService", method: "other"), options: InMemoryEngine.method.options)
        let foreign = try await fixture.readyModel(method: other.name)
        let created = ModelRecord(id: ModelIdentifier.generate(), method: InMemoryEngine.method.name, now: Date())
        try await fixture.registry.create(created)
        let endpoint = fixture.endpoint()

        let wrongMethod = await #expect(throws: TrainingError.self) { try await endpoint.model(for: foreign, caller: .anonymous) }
        #expect(wrongMethod?.code == .invalidArgument)
        #expect(wrongMethod?.message.contains("was made for service.ExampleService/other") == true, "\(wrongMethod?.message ?? "")")
        let notReady = await #expect(throws: TrainingError.self) { try await endpoint.model(for: created.id, caller: .anonymous) }
        #expect(notReady?.code == .failedPrecondition)
        #expect(notReady?.message.contains("is CREATED, not READY_TO_USE. It has no dataset yet") == true, "\(notReady?.message ?? "")")
    }

    @Test("a caller cancelled while it waits for a slot (its deadline passed) never runs; the next one does")
    func expiredCallerNeverRuns() async throws {
        let fixture = try Fixture()
        let endpoint = fixture.endpoint(limits: InferenceLimits(concurrency: 1, queueLength: 4, threads: 1))
        let runs = Runs()
        let release = AsyncStream<Void>.makeStream()
        let holding = Task {
            try await endpoint.infer(modelID: "", caller: .anonymous) { _ in
                runs.append("holder")
                for await _ in release.stream { break }
            }
        }
        while endpoint.load.running == 0 { await Task.yield() }
        let expired = Task { try await endpoint.infer(modelID: "", caller: .anonymous) { _ in runs.append("expired") } }
        while endpoint.load.waiting == 0 { await Task.yield() }

        expired.cancel()
        await #expect(throws: CancellationError.self) { try await expired.value }
        release.continuation.yield()
        try await holding.value
        try await endpoint.infer(modelID: "", caller: .anonymous) { _ in runs.append("next") }
        #expect(runs.all == ["holder", "next"])
        #expect(endpoint.load == (0, 0))
    }

    @Test("past the queue a call is RESOURCE_EXHAUSTED at once, naming the method")
    func overload() async throws {
        let fixture = try Fixture()
        let endpoint = fixture.endpoint(limits: InferenceLimits(concurrency: 1, queueLength: 0, threads: 1))
        let release = AsyncStream<Void>.makeStream()
        let holding = Task { try await endpoint.infer(modelID: "", caller: .anonymous) { _ in for await _ in release.stream { break } } }
        while endpoint.load.running == 0 { await Task.yield() }
        let error = await #expect(throws: TrainingError.self) { try await endpoint.infer(modelID: "", caller: .anonymous) { _ in } }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.hasPrefix("stt is busy") == true, "\(error?.message ?? "")")
        release.continuation.yield()
        try await holding.value
    }
}

/// Which inference calls ran, in order.
private final class Runs: Sendable {
    private let names = Mutex<[String]>([])
    func append(_ name: String) { names.withLock { $0.append(name) } }
    var all: [String] { names.withLock { $0 } }
}

/// An in-memory registry and a scratch data directory with trained artifacts of ``TextLabelTrainer``.
private final class Fixture {
    static let defaultModel = model(#"{"wordCounts": {"default": {}}}"#)
    static let trainedModel = model(#"{"wordCounts": {"yes": {"sure": 1}, "no": {"never": 1}}}"#)

    private static func model(_ json: String) -> TextLabelTrainer.Model {
        try! JSONDecoder().decode(TextLabelTrainer.Model.self, from: Data(json.utf8))
    }

    let registry = InMemoryModelRegistry()
    let files: ModelFiles

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "inference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        files = ModelFiles(dataDirectory: directory)
    }

    deinit { try? FileManager.default.removeItem(at: files.dataDirectory) }

    func endpoint(
        access: ModelAccessPolicy = .open,
        defaultModel: TextLabelTrainer.Model? = Fixture.defaultModel,
        limits: InferenceLimits = InferenceLimits(concurrency: 2, queueLength: 2, threads: 1)
    ) -> InferenceEndpoint<TextLabelTrainer> {
        InferenceEndpoint(
            method: InMemoryEngine.method, access: access, trainer: TextLabelTrainer(), defaultModel: defaultModel,
            registry: registry, files: files, cacheCapacity: 2, limits: limits,
            executor: .shared(name: "inference-test", threads: 1)
        )
    }

    /// A model moved through its real transitions to READY_TO_USE, with its artifact on disk.
    func readyModel(method: MethodName = InMemoryEngine.method.name, addressList: [String] = []) async throws -> String {
        var record = ModelRecord(id: ModelIdentifier.generate(), method: method, addressList: addressList, now: Date())
        let dataset = DatasetReference(path: "datasets/d.zip", originalName: "d.zip", byteCount: 1, sha256: "")
        try record.beginValidation(dataset: dataset, link: nil, now: Date())
        try record.finishValidation(dataset: dataset, datasetDirectory: "datasets/d", report: "2 labels", now: Date())
        try record.beginTraining(now: Date())
        let artifact = try files.newPath(for: record.id, in: .artifacts, suffix: ".json")
        try FileManager.default.createDirectory(at: artifact.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(Self.trainedModel).write(to: artifact)
        try record.finishTraining(artifactPath: files.relativePath(of: artifact), report: "Learned 2 labels.", now: Date())
        try await registry.create(record)
        return record.id
    }
}
