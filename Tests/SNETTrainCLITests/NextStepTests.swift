import Foundation
import Testing
import TrainingTesting

/// A refusal says what is wrong (the server's words) and then the snet-train command that fits the
/// model's state, on a `next:` line (and in `--json` as `error.next`).
@Suite("snet-train: refusals name the next step")
struct NextStepTests {
    static func create(_ port: Int) async throws -> String {
        try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: port)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("CREATED: train and call say to upload a dataset")
    func created() async throws {
        try await withTextServer { server in
            let id = try await Self.create(server.port)
            let train = try await runCLI(["train", id], port: server.port)
            #expect(train.exitCode == 2)
            #expect(train.stderr.hasPrefix("error: FAILED_PRECONDITION: "))
            #expect(train.stderr.contains("next: upload a dataset: snet-train upload \(id) FILE"), "\(train.stderr)")

            let call = try await runCLI(
                ["call", "service.ExampleService/stt", "--model-id", id, "--field", "speech=rain", "--json"], port: server.port
            )
            #expect(call.exitCode == 2)
            let error = try #require(try call.json()["error"] as? [String: Any])
            #expect(error["next"] as? String == "upload a dataset: snet-train upload \(id) FILE")
        }
    }

    @Test("TRAINING: call says to wait with watch, not to train again")
    func training() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        try await withTextServer(trainer: TextLabelTrainer(trainingDelay: .seconds(30))) { server in
            let id = try await Self.create(server.port)
            _ = try await runCLI(["upload", id, dataset.path(percentEncoded: false)], port: server.port)
            _ = try await runCLI(["watch", id, "--until", "VALIDATED", "--interval", "0.1"], port: server.port)
            _ = try await runCLI(["train", id], port: server.port)
            let call = try await runCLI(["call", "service.ExampleService/stt", "--model-id", id, "--field", "speech=rain"], port: server.port)
            #expect(call.exitCode == 2)
            #expect(call.stderr.contains("TRAINING"))
            #expect(call.stderr.contains("next: wait for training to end: snet-train watch \(id)"), "\(call.stderr)")

            let again = try await runCLI(["train", id], port: server.port)
            #expect(again.stderr.contains("next: wait for training to end: snet-train watch \(id)"), "\(again.stderr)")
        }
    }

    @Test("ERRORED: train says it cannot be trained and to upload a new dataset")
    func errored() async throws {
        let scratch = try ScratchDirectory()
        let oneLabel = scratch.file("one-label.zip")
        try ArchiveBuilder.zip(["only/1.txt": Data("just one label".utf8)], at: oneLabel)
        try await withTextServer { server in
            let id = try await Self.create(server.port)
            _ = try await runCLI(["upload", id, oneLabel.path(percentEncoded: false)], port: server.port)
            _ = try await runCLI(["watch", id, "--interval", "0.1"], port: server.port)
            let train = try await runCLI(["train", id], port: server.port)
            #expect(train.exitCode == 2)
            #expect(train.stderr.contains("ERRORED"))
            #expect(train.stderr.contains("next: see why with snet-train status \(id), then upload a corrected dataset: snet-train upload \(id) FILE"))
        }
    }

    @Test("an unknown id: check it, or create a model")
    func unknown() async throws {
        try await withTextServer { server in
            let run = try await runCLI(["train", "0123456789abcdef0123456789abcdef"], port: server.port)
            #expect(run.exitCode == 2)
            #expect(run.stderr.contains("next: check the model id, or create a model: snet-train create --method"), "\(run.stderr)")
        }
    }
}
