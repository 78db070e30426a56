import Foundation
import GRPCCore
import Logging
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingOperations
import TrainingProto
import TrainingTesting

/// ``TextLabelTrainer`` whose training report carries a confusion matrix, as a recognizer's may.
private struct ConfusionReportingTrainer: Trainer {
    let base = TextLabelTrainer()

    func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> TrainingReport {
        try await base.validate(dataset: dataset, method: method, progress: progress)
    }

    func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> TrainingReport {
        _ = try await base.train(dataset: dataset, method: method, artifact: artifact, progress: progress)
        return TrainingReport(
            "Trained.", figures: [.init("accuracy", number: 0.75)],
            confusion: ConfusionMatrix(labels: ["animals", "weather"], counts: [[2, 0], [1, 1]])
        )
    }

    func loadModel(artifact: URL) async throws -> TextLabelTrainer.Model {
        try await base.loadModel(artifact: artifact)
    }
}

@Suite("Provider dashboard over HTTP")
struct DashboardTests {
    static let token = "0123456789abcdef-dashboard"

    @Test("Signed-in pages show a model's journey to READY_TO_USE, its history and heat-map; wrong credentials are refused")
    func pages() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "snet-dash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TrainingServerConfiguration.defaults
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.jobs.pollInterval = .milliseconds(100)
        configuration.admin = .init(port: 0, dashboard: .init(bearerToken: Self.token))
        let server = try await OperationsServer.start(configuration: configuration) { configuration, logger in
            let builder = try await TrainingServerBuilder.open(
                descriptorSet: TextLabelService.descriptorSet, configuration: configuration, logger: logger
            )
            _ = try builder.endpoint(service: "service.ExampleService", method: "stt", trainer: ConfusionReportingTrainer())
            return try builder.makeServer(services: [])
        }
        do {
            let admin = "http://127.0.0.1:\(try #require(server.adminPort))"
            let login = try await httpGet("\(admin)/dashboard")
            #expect(login.body.contains("id=\"token\""), "a browser without a session is sent to the sign-in form")
            #expect(try await httpGet("\(admin)/dashboard", headers: [("Authorization", "Bearer wrong-token-000000")]).status == 401)
            let signedIn = [("Authorization", "Bearer \(Self.token)")]

            let id = try await server.withClient { client in
                let models = Training_Model.Client(wrapping: client)
                let id = try await models.create_model(
                    .with {
                        $0.grpcServiceName = "service.ExampleService"
                        $0.grpcMethodName = "stt"
                        $0.name = "dashboard texts"
                    }
                ).modelID
                let archive = directory.appending(path: "texts.zip")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try ArchiveBuilder.textDataset(at: archive)
                _ = try await SDKUpload.upload(file: archive, modelID: id, client: models)
                try await waitWhileBusy(models, id)
                _ = try await models.train_model(.with { $0.modelID = id })
                try await waitWhileBusy(models, id)
                return id
            }
            let overview = try await httpGet("\(admin)/dashboard", headers: signedIn)
            #expect(overview.status == 200)
            #expect(overview.body.contains("data-model=\"\(id)\""))
            #expect(overview.body.contains("dashboard texts"))
            #expect(overview.body.contains("<svg id=\"activity\""))
            // The chart counts this test's own calls: one upload among them, none failed.
            #expect(overview.body.contains(" calls, 1 uploads, 0 failed"), "the chart counts the calls made")
            #expect(!overview.body.contains(">0 calls,"), "the chart counts the calls made")
            let page = try await httpGet("\(admin)/dashboard/models/\(id)", headers: signedIn)
            #expect(page.status == 200)
            #expect(page.body.contains("id=\"model-status\">READY_TO_USE<"))
            let history = ["CREATED", "VALIDATING", "VALIDATED", "TRAINING", "READY_TO_USE"].map {
                "status \($0.lowercased().replacingOccurrences(of: "_", with: "-"))\">\($0)<"
            }
            var position = page.body.startIndex
            for entry in history {
                let found = try #require(page.body.range(of: entry, range: position..<page.body.endIndex), "history lists \(entry) in order")
                position = found.upperBound
            }
            #expect(page.body.contains("<svg id=\"confusion\""))
            #expect(page.body.components(separatedBy: "class=\"cell\"").count - 1 == 4)
            #expect(page.body.contains("Training: accuracy"))
            #expect(try await httpGet("\(admin)/dashboard/models/\(id)").body.contains("id=\"token\""))
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    private func waitWhileBusy(_ models: Training_Model.Client<some ClientTransport>, _ id: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let status = try await models.get_model_status(.with { $0.modelID = id }).status
            if status != .validating && status != .training { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RPCError(code: .deadlineExceeded, message: "model \(id) still busy")
    }
}
