import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingCore
import TrainingProto
import TrainingTesting

/// What a careless or hostile consumer sends, over real gRPC: every answer is a clear error of
/// bounded size, and nothing is left behind.
@Suite("Hostile input")
struct HostileInputTests {
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
