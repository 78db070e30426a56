import Foundation
import Testing
import TrainingTesting

/// Command-line mistakes: named, with the closest real command or option, exit 64, and a JSON error
/// on standard output with `--json`.
@Suite("snet-train: usage mistakes")
struct UsageTests {
    @Test("a misspelt command is an unknown command with a suggestion")
    func unknownSubcommand() async throws {
        let run = try await runCLI(["creat", "--method", "service.ExampleService/stt", "--name", "x"], port: nil)
        #expect(run.exitCode == 64)
        #expect(run.stderr.hasPrefix("error: USAGE: 'creat' is not a snet-train command. Did you mean 'create'?"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("a misspelt required option is named, not reported as missing")
    func unknownOption() async throws {
        let run = try await runCLI(["create", "--methd", "service.ExampleService/stt", "--name", "x"], port: nil)
        #expect(run.exitCode == 64)
        #expect(run.stderr.contains("create has no option --methd. Did you mean --method?"), "\(run.stderr)")
    }

    @Test(
        "--json: a usage error is a JSON error on standard output too",
        arguments: [
            ["creat", "--json"], ["create", "--json", "--name", "x"], ["status", "x", "--json", "--endpoint", "5090"],
        ])
    func jsonUsage(_ arguments: [String]) async throws {
        let run = try await runCLI(arguments, port: nil)
        #expect(run.exitCode == 64)
        let error = try #require(try run.json()["error"] as? [String: Any], "\(run.stdout)")
        #expect(error["code"] as? String == "USAGE")
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(try run.json()["exitCode"] as? Int == 64)
    }

    @Test("--help still prints help and exits 0")
    func help() async throws {
        let run = try await runCLI(["--help"], port: nil)
        #expect(run.exitCode == 0)
        #expect(run.stdout.contains("SNET_TRAIN_ENDPOINT"))
        let sub = try await runCLI(["create", "--help"], port: nil)
        #expect(sub.exitCode == 0)
        #expect(sub.stdout.contains("--exclude-caller"))
    }

    @Test("an unreadable file is exit 1 for every command that reads one")
    func unreadableFiles() async throws {
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for arguments in [
                ["upload", id, "/nonexistent/words.zip"],
                ["call", "service.ExampleService/basic_stt", "--field", "speech=@/nonexistent/clip.wav"],
                ["inspect", "--proto-set", "/nonexistent/service.protoset"],
            ] {
                let run = try await runCLI(arguments, port: server.port)
                #expect(run.exitCode == 1, "\(arguments): \(run.stderr)")
                #expect(run.stderr.hasPrefix("error: LOCAL: "), "\(arguments): \(run.stderr)")
                #expect(run.stderr.contains("/nonexistent/"), "the message names the file: \(run.stderr)")
            }
        }
    }
}
