import Foundation
import SNETTraining
import Testing
import TrainingTesting

/// `create` lists the caller (as the daemon lists a model's creator) and warns when nobody could use
/// the model; `call` explains a refusal that is really "not yours".
@Suite("snet-train: create and access")
struct CreateAccessTests {
    static let me = "0x1111111111111111111111111111111111111111"
    static let other = "0x2222222222222222222222222222222222222222"

    /// Creates, uploads, validates and trains a text model; returns its id.
    static func trainedModel(port: Int, createArguments: [String], dataset: URL) async throws -> String {
        let created = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"] + createArguments, port: port)
        #expect(created.exitCode == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for step in [
            ["upload", id, dataset.path(percentEncoded: false)], ["watch", id, "--until", "VALIDATED", "--interval", "0.1"],
            ["train", id], ["watch", id, "--interval", "0.1"],
        ] {
            let run = try await runCLI(step, port: port)
            #expect(run.exitCode == 0, "\(step): \(run.stderr)")
        }
        return id
    }

    @Test("restricted access: --caller joins the address list, so the caller can use the model and others cannot")
    func callerJoinsList() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        try await withTextServer(configure: { $0.policies.fallback.access = .restricted }) { server in
            let json = try await runCLI(
                ["create", "--method", "service.ExampleService/stt", "--name", "m", "--caller", Self.me, "--address", Self.other, "--json"],
                port: server.port
            )
            #expect(try json.json()["addresses"] as? [String] == [Self.other, Self.me])
            #expect((try json.json()["warnings"] as? [Any])?.isEmpty == true)

            let id = try await Self.trainedModel(port: server.port, createArguments: ["--caller", Self.me], dataset: dataset)
            let call = ["call", "service.ExampleService/stt", "--model-id", id, "--field", "speech=snow and rain"]
            let mine = try await runCLI(call + ["--caller", Self.me], port: server.port)
            #expect(mine.exitCode == 0, "\(mine.stderr)")
            #expect(mine.stdout.contains("result: weather"))

            let stranger = try await runCLI(call + ["--caller", Self.other], port: server.port)
            #expect(stranger.exitCode == 2)
            #expect(stranger.stderr.hasPrefix("error: NOT_FOUND: "))
            #expect(
                stranger.stderr.contains("next: model \(id) exists (READY_TO_USE) but the server does not let this caller use it: pass --caller"),
                "\(stranger.stderr)"
            )
        }
    }

    @Test("restricted access: a model with no address that is not public is created with a warning (also in --json)")
    func usableByNobody() async throws {
        try await withTextServer(configure: { $0.policies.fallback.access = .restricted }) { server in
            let plain = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
            #expect(plain.exitCode == 0)
            let id = plain.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(
                plain.stderr.contains("warning: model \(id) can be used by nobody: the server restricts service.ExampleService/stt"),
                "\(plain.stderr)"
            )
            #expect(plain.stderr.contains("--caller ADDRESS, --address ADDRESS or --public"))

            let excluded = try await runCLI(
                ["create", "--method", "service.ExampleService/stt", "--name", "m", "--caller", Self.me, "--exclude-caller", "--json"],
                port: server.port
            )
            #expect(try excluded.json()["addresses"] as? [String] == [])
            #expect((try excluded.json()["warnings"] as? [String])?.first?.contains("can be used by nobody") == true)

            let open = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m", "--public"], port: server.port)
            #expect(open.exitCode == 0)
            #expect(!open.stderr.contains("warning"))
        }
    }

    @Test("open access (the default): no warning for a model without addresses")
    func openAccess() async throws {
        try await withTextServer { server in
            let run = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
            #expect(run.exitCode == 0)
            #expect(!run.stderr.contains("warning"), "\(run.stderr)")
        }
    }
}
