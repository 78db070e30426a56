import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import SNETTraining
import ServiceLifecycle
import Testing
import TextClassifier
import TextClassifierProto
import TrainingClient
import ZIPFoundation

/// The whole life of a model over gRPC on 127.0.0.1, as the daemon and a consumer drive it:
/// create, upload the sample dataset as the SDK does, train, classify with the trained model.
@Suite("Text classifier over gRPC")
struct LifecycleTests {
    @Test("A consumer's model goes from create_model to a classification")
    func trainAndClassify() async throws {
        try await withServer { client in
            let models = ModelClient(wrapping: client)
            let id = try await models.create(NewModelSpec(service: "classifier.TextClassifier", method: "classify", name: "intents"))
            let dataset = try Self.zip(Self.sampleDataset)
            defer { try? FileManager.default.removeItem(at: dataset) }
            #expect(try await models.upload(DatasetUpload(file: dataset), modelID: id) == .validating)

            let watcher = StatusWatcher(models: models, interval: .milliseconds(100))
            var validated = watcher
            validated.alsoStopAt = [.validated]
            let validation = try await validated.watch(modelID: id, timeout: .seconds(60))
            #expect(validation.status == .validated, "\(validation.detail ?? "")")
            #expect(validation.detail?.contains("4 labels, 40 texts") == true)

            #expect(try await models.train(modelID: id) == .training)
            let trained = try await watcher.watch(modelID: id, timeout: .seconds(60))
            #expect(trained.status == .readyToUse, "\(trained.detail ?? "")")

            let classifier = Classifier_TextClassifier.Client(wrapping: client)
            let answer = try await classifier.classify(
                .with {
                    $0.modelID.modelID = id
                    $0.text = "wake me up at seven tomorrow"
                })
            #expect(answer.label == "alarm")
            #expect(answer.confidence > 0.5 && answer.confidence <= 1)
        }
    }

    @Test("A dataset with one label ends ERRORED with a reason the consumer can act on")
    func oneLabelIsRejected() async throws {
        try await withServer { client in
            let models = ModelClient(wrapping: client)
            let id = try await models.create(NewModelSpec(service: "classifier.TextClassifier", method: "classify", name: "one"))
            let dataset = try Self.zip(Self.sampleDataset.appending(path: "alarm"), under: "alarm")
            defer { try? FileManager.default.removeItem(at: dataset) }
            _ = try await models.upload(DatasetUpload(file: dataset), modelID: id)
            let final = try await StatusWatcher(models: models, interval: .milliseconds(100)).watch(modelID: id, timeout: .seconds(60))
            #expect(final.status == .errored)
            #expect(final.detail?.contains("at least two label folders") == true, "\(final.detail ?? "")")
        }
    }

    @Test(
        "classify answers with the status a caller can act on",
        arguments: [
            ("", "hello", RPCError.Code.failedPrecondition),
            ("0123456789abcdef0123456789abcdef", "hello", .notFound),
            ("0123456789abcdef0123456789abcdef", "  ", .invalidArgument),
        ])
    func refusals(modelID: String, text: String, code: RPCError.Code) async throws {
        try await withServer { client in
            let classifier = Classifier_TextClassifier.Client(wrapping: client)
            let error = await #expect(throws: RPCError.self) {
                try await classifier.classify(
                    .with {
                        $0.modelID.modelID = modelID
                        $0.text = text
                    })
            }
            #expect(error?.code == code, "\(error?.message ?? "")")
        }
    }

    /// Runs `body` against a server on a free port of 127.0.0.1 with a fresh data directory.
    private func withServer(_ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "text-classifier-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TrainingServerConfiguration.defaults
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.jobs.pollInterval = .milliseconds(100)
        var logger = Logger(label: "text-classifier-test")
        logger.logLevel = .error
        let server = try await TextClassifierServer.make(configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            defer { Task { await group.triggerGracefulShutdown() } }
            let port = try await server.listeningPort()
            try await withGRPCClient(
                transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
            ) { client in
                try await body(client)
            }
            await group.triggerGracefulShutdown()
        }
    }

    static let sampleDataset = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "sample-dataset")

    /// A zip of the `.txt` files under `folder` with no folder entries, as consumers are told to
    /// make them (the SDK refuses folder entries when `dataset_files_type` is set).
    static func zip(_ folder: URL, under prefix: String = "") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "dataset-\(UUID().uuidString).zip")
        let archive = try Archive(url: url, accessMode: .create)
        let files =
            FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "txt" } ?? []
        for file in files {
            let relative = String(file.path(percentEncoded: false).dropFirst(folder.path(percentEncoded: false).count))
                .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            try archive.addEntry(with: prefix.isEmpty ? relative : "\(prefix)/\(relative)", fileURL: file)
        }
        return url
    }
}
