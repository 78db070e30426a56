import Foundation
import Testing
import TrainingTesting

/// README's walkthrough, run as written against a fresh `stt-service`: a newcomer's first hour
/// must not end in a model nobody can use, an archive layout refused, or a wrong endpoint.
@Suite("README walkthrough", .serialized)
struct WalkthroughTests {
    /// What the test changes in the commands, and why: everything else runs verbatim.
    /// - `swift build` and `swift run PRODUCT` use the products `swift build --build-tests` made,
    ///   so the test does not build inside a build.
    /// - `/tmp` is a fresh directory of the test's, so runs never share a data directory.
    /// - The server's port comes from `STT_SERVICE_SERVER_PORT` and snet-train's endpoint from
    ///   `SNET_TRAIN_ENDPOINT` (both documented), so parallel runs do not collide on 5002.
    static func script(_ commands: String, binaries: URL, scratch: URL) -> String {
        let preamble = """
            set -euo pipefail
            shopt -s expand_aliases
            swift() {
                case "$1" in
                    build) ;;
                    run) shift; product="$1"; shift; "\(binaries.path(percentEncoded: false))/$product" "$@" ;;
                    *) echo "the walkthrough test does not run swift $1" >&2; return 1 ;;
                esac
            }

            """
        // Every /tmp path, also a bare `cd /tmp`, moves into the test's own directory.
        let local =
            commands
            .replacing(try! Regex(#"/tmp(?=[/\s);])"#), with: scratch.path(percentEncoded: false))
            .replacingOccurrences(of: ".build/debug/", with: binaries.path(percentEncoded: false) + "/")
        return preamble + local + "\n"
    }

    static func run(_ commands: String) async throws -> ShellRun {
        let scratch = try ScratchDirectory()
        let port = try freePort()
        return try await ShellRun.run(
            script(commands, binaries: try cliBinary().deletingLastPathComponent(), scratch: scratch.url),
            in: ReadmeWalkthrough.packageRoot,
            environment: ["STT_SERVICE_SERVER_PORT": "\(port)", "SNET_TRAIN_ENDPOINT": "127.0.0.1:\(port)"],
            timeout: .seconds(900)
        )
    }

    @Test("the walkthrough, as README has it (the shipped configuration, access restricted), ends with a recognized word")
    func shippedConfiguration() async throws {
        let commands = try ReadmeWalkthrough.commands()
        #expect(commands.contains("--config config/stt-service.yaml"), "the walkthrough runs the shipped configuration")
        let run = try await Self.run(commands)
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("result: up"), "\(run.output)")
        #expect(!run.output.contains("warning:"), "\(run.output)")
    }

    @Test("the same walkthrough against the built-in defaults (no --config)")
    func defaults() async throws {
        let commands = try ReadmeWalkthrough.commands().replacingOccurrences(of: " --config config/stt-service.yaml", with: "")
        let run = try await Self.run(commands)
        #expect(run.exitCode == 0, "\(run.output)")
        #expect(run.output.contains("result: up"), "\(run.output)")
    }
}
