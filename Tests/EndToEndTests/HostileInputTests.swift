import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

/// What a careless or hostile consumer sends, over real gRPC: every answer is a clear error of
/// bounded size, and nothing is left behind.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("a 64 KiB model id is NOT_FOUND with a short message that quotes only its start")
    func hugeModelID() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let huge = String(repeating: "a", count: 64 << 10)
            let message = await expectRPCError(.notFound) { _ = try await client.status(huge) }
            #expect(message.utf8.count < 300, "\(message.utf8.count) bytes")
            #expect(message.contains("65536 bytes"))
            let deleteMessage = await expectRPCError(.notFound) { _ = try await client.delete(huge) }
            #expect(deleteMessage.utf8.count < 300)
        }
        try await server.stop()
    }

    @Test(
        "over-long create_model fields are INVALID_ARGUMENT naming the field and its limit",
        arguments: ["organization_id", "service_id", "group_id", "name", "description", "grpc_service_name"]
    )
    func longFields(field: String) async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            var request = Training_NewModel()
            request.grpcServiceName = "service.ExampleService"
            request.grpcMethodName = "stt"
            let long = String(repeating: "x", count: 1 << 20)
            switch field {
            case "organization_id": request.organizationID = long
            case "service_id": request.serviceID = long
            case "group_id": request.groupID = long
            case "name": request.name = long
            case "description": request.description_p = long
            default: request.grpcServiceName = long
            }
            let message = await expectRPCError(.invalidArgument) { _ = try await client.create_model(request) }
            #expect(message.hasPrefix(field), "\(message)")
            #expect(message.contains("at most"), "\(message)")
            #expect(message.utf8.count < 300)
        }
        try await server.stop()
    }

    @Test("a long validation report is cut in the trailers, with a note, under what standard clients accept")
    func longStatusDetail() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let server = try await startTextServer(trainer: TextLabelTrainer(validationReportLength: 200_000))
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            let sizes = try await client.get_model_status(.with { $0.modelID = id }) { response in
                let ascii = response.trailingMetadata[stringValues: "status-detail"].first(where: { _ in true }) ?? ""
                let binary = response.trailingMetadata[binaryValues: "status-detail-bin"].first(where: { _ in true }) ?? []
                let report = response.trailingMetadata[binaryValues: "status-report-bin"].first(where: { _ in true }) ?? []
                return (ascii: ascii, binary: String(decoding: binary, as: UTF8.self), report: report)
            }
            #expect(sizes.ascii.hasPrefix("2 labels, 4 texts"))
            #expect(sizes.ascii.hasSuffix("more characters not shown]"))
            #expect(sizes.binary.hasSuffix("more characters not shown]"))
            // The structure travels too, with as many figures as fit.
            let report = try TrainingReport(json: Data(sizes.report))
            #expect(report.summary == "2 labels, 4 texts" && !report.figures.isEmpty)
            // What travels: the ASCII value and the base64 of the binary ones.
            let wireBytes = sizes.ascii.utf8.count + (sizes.binary.utf8.count + 2) / 3 * 4 + (sizes.report.count + 2) / 3 * 4
            #expect(wireBytes < 11 * 1024, "\(wireBytes) bytes of status detail and report")
        }
        try await server.stop()
    }

    @Test("an upload stream that goes silent is ended with DEADLINE_EXCEEDED and its partial file removed")
    func idleUpload() async throws {
        let server = try await startTextServer { $0.limits.uploadIdleTimeout = .seconds(1) }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let started = ContinuousClock.now
            let message = await expectRPCError(.deadlineExceeded) {
                _ = try await client.upload_and_validate { writer in
                    try await writer.write(
                        .with {
                            $0.modelID = id; $0.data = Data(count: 1024); $0.fileName = "d.zip"
                            $0.fileSize = 4096; $0.batchSize = 1024; $0.batchNumber = 1; $0.batchCount = 4
                        })
                    try await Task.sleep(for: .seconds(30))
                }
            }
            #expect(message.contains("sent nothing for 1 second"))
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(try await client.status(id) == .created)
        }
        let models = server.dataDirectory.appending(path: "models").path(percentEncoded: false)
        let files = FileManager.default.enumerator(atPath: models)?.allObjects as? [String] ?? []
        #expect(files.filter { $0.hasSuffix(".part") }.isEmpty, "left behind: \(files)")
        try await server.stop()
    }

    @Test("a job over the time limit is stopped and its model ends ERRORED naming the limit")
    func jobTimeLimit() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let events = TrainerEvents()
        let server = try await startTextServer(trainer: TextLabelTrainer(trainingDelay: .seconds(120), events: events)) {
            $0.jobs.maxRunTime = .seconds(2)
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            _ = try await client.train(id)
            #expect(try await client.waitWhileBusy(id, timeout: .seconds(20)) == .errored)
            let (_, detail) = try await client.statusWithDetail(id)
            #expect(detail?.contains("time limit of 2 seconds") == true, "\(detail ?? "")")
            #expect(events.all.contains(.cancelled), "the trainer itself was stopped")
        }
        try await server.stop()
    }

    @Test("an unexpected fault reaches the consumer as INTERNAL with an incident id and no internal text")
    func internalErrorsAreShielded() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.trainedModel(archive: archive)
            // Corrupt the trained model on disk: loading it fails inside the service.
            let artifacts = server.dataDirectory.appending(path: "models/\(id)/artifacts")
            for name in try FileManager.default.contentsOfDirectory(atPath: artifacts.path(percentEncoded: false)) {
                try Data("not a model".utf8).write(to: artifacts.appending(path: name))
            }
            let service = Service_ExampleService.Client(wrapping: grpc)
            let message = await expectRPCError(.internalError) {
                _ = try await service.stt(
                    .with {
                        $0.modelID = .with { $0.modelID = id }; $0.speech = Data("rain".utf8)
                    })
            }
            #expect(message.contains("incident "), "\(message)")
            #expect(!message.contains("JSON") && !message.contains("models/"), "\(message)")
        }
        try await server.stop()
    }
}
