import Foundation
import Testing
import TrainingTesting

/// Failures end as one readable line with the gRPC code, a JSON error with `--json`, and the
/// documented exit code.
@Suite("snet-train: errors and exit codes")
struct FailureCommandTests {
    @Test("a gRPC error from the server: one line with its code, exit 2; --json gives an error object")
    func serverError() async throws {
        try await withTextServer { server in
            let text = try await runCLI(["status", "no-such-model"], port: server.port)
            #expect(text.exitCode == 2)
            #expect(text.stdout.isEmpty)
            let lines = text.stderr.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("error: NOT_FOUND: Model 'no-such-model' was not found.") == true)

            let json = try await runCLI(["train", "no-such-model", "--json"], port: server.port)
            #expect(json.exitCode == 2)
            let error = try #require(try json.json()["error"] as? [String: Any])
            #expect(error["code"] as? String == "NOT_FOUND")
            #expect(try json.json()["exitCode"] as? Int == 2)

            // create reads the service's protos first, so a method that is not trainable is caught before the server is asked.
            let wrongMethod = try await runCLI(["create", "--method", "service.ExampleService/basic_stt", "--name", "x"], port: server.port)
            #expect(wrongMethod.exitCode == 64)
            #expect(wrongMethod.stderr.contains("Did you mean service.ExampleService/stt?"))
        }
    }

    @Test("an endpoint nobody listens on: UNAVAILABLE, exit 3")
    func unreachable() async throws {
        let run = try await runCLI(["status", "abc", "--endpoint", "127.0.0.1:1"], port: nil)
        #expect(run.exitCode == 3)
        #expect(run.stderr.hasPrefix("error: UNAVAILABLE: 127.0.0.1:1: "))
    }

    @Test("a bad command line: usage, exit 64")
    func usage() async throws {
        let badEndpoint = try await runCLI(["status", "abc", "--endpoint", "localhost:notaport"], port: nil)
        #expect(badEndpoint.exitCode == 64)
        let badMethod = try await runCLI(["create", "--method", "a/b/c", "--name", "x"], port: nil)
        #expect(badMethod.exitCode == 64)
    }

    @Test("watch: ERRORED ends with exit 5 and the server's reason")
    func watchErrored() async throws {
        let scratch = try ScratchDirectory()
        let oneLabel = scratch.file("one-label.zip")
        try ArchiveBuilder.zip(["only/1.txt": Data("just one label".utf8)], at: oneLabel)
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "bad"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let uploaded = try await runCLI(["upload", id, oneLabel.path(percentEncoded: false)], port: server.port)
            #expect(uploaded.exitCode == 0, "\(uploaded.stderr)")
            let watched = try await runCLI(["watch", id, "--interval", "0.1"], port: server.port)
            #expect(watched.exitCode == 5)
            #expect(watched.stdout.contains("ERRORED"))
            #expect(watched.stdout.contains("at least two label folders"))
        }
    }

    @Test("watch --timeout: exit 7 while the model is still CREATED")
    func watchTimeout() async throws {
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "idle"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let watched = try await runCLI(["watch", id, "--interval", "0.1", "--timeout", "0.3", "--json"], port: server.port)
            #expect(watched.exitCode == 7)
            #expect(try watched.jsonLines().first?["status"] as? String == "CREATED")
            #expect(try watched.jsonLines().last?["error"] != nil)
            #expect(watched.stderr.contains("error: TIMED_OUT: Model \(id) is still CREATED"))
        }
    }
}
