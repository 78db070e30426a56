import Foundation
import Testing
import TrainingTesting

/// A refusal says what is wrong (the server's words) and then the snet-train command that fits the
/// model's state, on a `next:` line (and in `--json` as `error.next`): the binary asks the server
/// for the model's state after the refusal. Which step each state gets is NextStepAdviceTests' table.
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

    @Test("an unknown id: check it, or create a model (the status the binary asks for is refused too)")
    func unknown() async throws {
        try await withTextServer { server in
            let run = try await runCLI(["train", "0123456789abcdef0123456789abcdef"], port: server.port)
            #expect(run.exitCode == 2)
            #expect(run.stderr.contains("next: check the model id, or create a model: snet-train create --method"), "\(run.stderr)")
        }
    }
}
