import Foundation
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingTesting

/// Every refusal a consumer's request can cause has its code and a message that names the problem,
/// and changes nothing.
@Suite("Refused requests")
struct RequestErrorTests {
    static let unknownID = "0123456789abcdef0123456789abcdef"

    static func refusal(_ body: () async throws -> Void) async -> TrainingError? {
        await #expect(throws: TrainingError.self) { try await body() }
    }

    static func request(service: String = "service.ExampleService", method: String = "stt") -> NewModelRequest {
        NewModelRequest(grpcServiceName: service, grpcMethodName: method)
    }

    @Test("create_model rejects methods that are not trainable, naming the trainable ones, and malformed addresses")
    func createModelChecks() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let create = { (request: NewModelRequest) in _ = try await engine.workflow.createModel(request, caller: nil) }
        let missing = await Self.refusal { try await create(Self.request(service: "", method: "")) }
        #expect(missing?.code == .invalidArgument && missing?.message.contains("service.ExampleService/stt") == true)
        let untrainable = await Self.refusal { try await create(Self.request(method: "basic_stt")) }
        #expect(untrainable?.code == .invalidArgument)
        #expect(untrainable?.message.contains("not a trainable method") == true && untrainable?.message.contains("service.ExampleService/stt") == true)
        #expect(await Self.refusal { try await create(Self.request(service: "service.Other")) }?.code == .invalidArgument)
        var badAddress = Self.request()
        badAddress.addressList = ["not-an-address"]
        let address = await Self.refusal { try await create(badAddress) }
        #expect(address?.code == .invalidArgument && address?.message.contains("address_list[0]") == true)
        // The short service name is accepted when unambiguous.
        let id = try await engine.workflow.createModel(Self.request(service: "ExampleService"), caller: nil).id
        #expect(try await engine.workflow.status(of: id).status == .created)
        #expect(try await engine.registry.liveModelCount() == 1, "refused calls stored nothing")
    }

    @Test(
        "over-long create_model fields are INVALID_ARGUMENT naming the field and its limit",
        arguments: [
            "organization_id", "service_id", "group_id", "name", "description", "grpc_service_name",
        ])
    func longFields(field: String) async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        var request = Self.request()
        let long = String(repeating: "x", count: 1 << 20)
        switch field {
        case "organization_id": request.organizationID = long
        case "service_id": request.serviceID = long
        case "group_id": request.groupID = long
        case "name": request.name = long
        case "description": request.description = long
        default: request.grpcServiceName = long
        }
        let error = await Self.refusal { _ = try await engine.workflow.createModel(request, caller: nil) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix(field) == true && error?.message.contains("at most") == true, "\(error?.message ?? "")")
        #expect((error?.message.utf8.count ?? .max) < 300)
    }

    @Test("unknown ids are NOT_FOUND on every model call")
    func unknownModel() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        for id in [Self.unknownID, "../../etc/passwd", ""] {
            #expect(await Self.refusal { _ = try await engine.workflow.status(of: id) }?.code == .notFound, "status \(id)")
            #expect(await Self.refusal { _ = try await engine.workflow.train(id) }?.code == .notFound, "train \(id)")
            #expect(await Self.refusal { _ = try await engine.workflow.trainingPrice(of: id) }?.code == .notFound, "price \(id)")
            #expect(await Self.refusal { _ = try await engine.workflow.validationPrice(of: id) }?.code == .notFound, "price \(id)")
            #expect(await Self.refusal { _ = try await engine.workflow.delete(id) }?.code == .notFound, "delete \(id)")
        }
    }

    @Test("a 64 KiB model id is NOT_FOUND with a short message that quotes only its start")
    func hugeModelID() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let huge = String(repeating: "a", count: 64 << 10)
        let status = await Self.refusal { _ = try await engine.workflow.status(of: huge) }
        #expect(status?.code == .notFound && status?.message.contains("65536 bytes") == true)
        #expect((status?.message.utf8.count ?? .max) < 300, "\(status?.message.utf8.count ?? 0) bytes")
        let delete = await Self.refusal { _ = try await engine.workflow.delete(huge) }
        #expect(delete?.code == .notFound && (delete?.message.utf8.count ?? .max) < 300)
    }

    @Test("train_model before validation is FAILED_PRECONDITION naming the status; so is inference on the model")
    func trainTooEarly() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let id = try await engine.createModel()
        let train = await Self.refusal { _ = try await engine.workflow.train(id) }
        #expect(train?.code == .failedPrecondition && train?.message.contains("CREATED") == true)
        let endpoint = engine.endpoint(trainer: TextLabelTrainer(), defaultModel: nil)
        #expect(await Self.refusal { _ = try await endpoint.model(for: id, caller: .anonymous) }?.code == .failedPrecondition)
        #expect(try await engine.workflow.status(of: id).status == .created)
    }

    /// One upload message of 4 bytes.
    static func piece(
        _ number: UInt64, of count: UInt64, model: String, size: UInt64 = 8, name: String = "d.zip", bytes: Int = 4
    ) -> UploadChunk {
        UploadChunk(
            modelID: model, data: Data(repeating: 1, count: bytes), fileName: name, fileSize: size, batchSize: 4, batchNumber: number,
            batchCount: count
        )
    }

    @Test("upload protocol violations are refused, each with its own reason, and leave the model and the disk as they were")
    func uploadProtocol() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        let id = try await engine.createModel()
        let other = try await engine.createModel()
        let cases: [(String, [UploadChunk], TrainingError.Code, String)] = [
            ("empty stream", [], .invalidArgument, "stream was empty"),
            (
                "two models in one stream", [Self.piece(1, of: 2, model: id), Self.piece(2, of: 2, model: other)], .invalidArgument,
                "one model's dataset per stream"
            ),
            (
                "skipped batch", [Self.piece(1, of: 3, model: id, size: 12), Self.piece(3, of: 3, model: id, size: 12)], .invalidArgument,
                "Expected batch_number 2 but got 3"
            ),
            ("repeated batch", [Self.piece(1, of: 2, model: id), Self.piece(1, of: 2, model: id)], .invalidArgument, "Expected batch_number 2 but got 1"),
            ("short file", [Self.piece(1, of: 2, model: id)], .invalidArgument, "ended after 4 of 8 bytes"),
            (
                "path in file name", [Self.piece(1, of: 2, model: id, name: "../d.zip"), Self.piece(2, of: 2, model: id, name: "../d.zip")], .invalidArgument,
                "contains a path"
            ),
            ("file_size changed", [Self.piece(1, of: 2, model: id), Self.piece(2, of: 2, model: id, size: 9)], .invalidArgument, "changed"),
            ("bytes beyond file_size", [Self.piece(1, of: 2, model: id), Self.piece(2, of: 2, model: id, bytes: 9)], .invalidArgument, "more bytes"),
            ("unknown model", [Self.piece(1, of: 2, model: Self.unknownID), Self.piece(2, of: 2, model: Self.unknownID)], .notFound, "was not found"),
        ]
        for (name, chunks, code, problem) in cases {
            let error = await Self.refusal { _ = try await engine.workflow.upload(chunks.async) }
            #expect(error?.code == code, "\(name): \(error?.message ?? "")")
            #expect(error?.message.contains(problem) == true, "\(name): \(error?.message ?? "")")
            #expect(try await engine.workflow.status(of: id).status == .created, "\(name) must not change the model")
        }
        let files = FileManager.default.enumerator(atPath: engine.dataDirectory.path(percentEncoded: false))?.allObjects as? [String] ?? []
        #expect(files.filter { $0.hasSuffix(".part") || $0.hasSuffix(".zip") }.isEmpty, "refused uploads leave no file: \(files)")
    }

    @Test("a model that is VALIDATING or TRAINING refuses a new upload, naming its status")
    func busyModel() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("t.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let events = TrainerEvents()
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(trainingDelay: .seconds(3600), events: events))
        defer { engine.stop() }
        let id = try await engine.validatedModel(archive)
        _ = try await engine.workflow.train(id)
        let error = await Self.refusal { _ = try await engine.upload(archive, to: id) }
        #expect(error?.code == .failedPrecondition && error?.message.contains("TRAINING") == true, "\(error?.message ?? "")")
        #expect(try await engine.workflow.status(of: id).status == .training)
        _ = try await engine.workflow.delete(id)
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence, as an upload stream delivers them.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
