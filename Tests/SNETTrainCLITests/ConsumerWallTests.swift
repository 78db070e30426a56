import Foundation
import SNETTraining
import Testing
import TrainingTesting
#if canImport(Glibc)
import Glibc
#endif

/// What a newcomer hit in the first hour with `snet-train`, each wall with the run that shows it gone.
@Suite("snet-train: the first hour's walls")
struct ConsumerWallTests {
    @Test("--method takes the method's name alone, and a near miss gets the closest SERVICE/METHOD")
    func shortMethodNames() async throws {
        try await withTextServer { server in
            let created = try await runCLI(["create", "--method", "stt", "--name", "m", "--json"], port: server.port)
            #expect(created.exitCode == 0, "\(created.stderr)")
            #expect(try created.json()["service"] as? String == "service.ExampleService")
            let short = try await runCLI(["create", "--method", "ExampleService/stt", "--name", "m"], port: server.port)
            #expect(short.exitCode == 0, "\(short.stderr)")

            let typo = try await runCLI(["create", "--method", "sst", "--name", "m"], port: server.port)
            #expect(typo.exitCode == 64)
            #expect(typo.stderr.contains("'sst' is not a trainable method of this service. Did you mean service.ExampleService/stt?"), "\(typo.stderr)")
            let call = try await runCLI(["call", "basic_st", "--field", "speech=x"], port: server.port)
            #expect(call.exitCode == 64)
            #expect(call.stderr.contains("Did you mean service.ExampleService/basic_stt?"), "\(call.stderr)")
            let byName = try await runCLI(["call", "basic_stt", "--field", "speech=x"], port: server.port)
            #expect(byName.stdout.contains("result: default"), "\(byName.stderr)")
        }
    }

    @Test("each subcommand's help lists its own options before the connection options")
    func ownOptionsFirst() async throws {
        for (command, own) in [
            ("create", "--method"), ("upload", "--method"), ("pack", "--output"), ("check", "--method"), ("watch", "--interval"),
            ("inspect", "--no-probe"), ("call", "--model-id"), ("price", "--link"), ("validate", "--link"),
            ("daemon-config", "--service-endpoint"),
        ] {
            let help = try await runCLI([command, "--help"], port: nil).stdout
            let options = try #require(help.range(of: "OPTIONS:"), "\(command)")
            let firstFlag = help[options.upperBound...].firstMatch(of: /--[a-z-]+/).map { String($0.output) }
            #expect(firstFlag == own, "\(command): first option \(firstFlag ?? "none")")
        }
    }

    @Test("daemon-config takes no option it would ignore")
    func daemonConfigOptions() async throws {
        for ignored in [["--caller", "0x1111111111111111111111111111111111111111"], ["--wait-for-server", "5"], ["--ca-file", "x.pem"]] {
            let run = try await runCLI(["daemon-config"] + ignored, port: nil)
            #expect(run.exitCode == 64, "\(ignored)")
            #expect(run.stderr.hasPrefix("error: USAGE: ") && run.stderr.contains(ignored[0]), "\(run.stderr)")
        }
        let run = try await runCLI(["daemon-config", "--endpoint", "https://node.example:7000", "--json"], port: nil)
        #expect(try run.json()["model_maintenance_endpoint"] as? String == "https://node.example:7000")
    }

    @Test("inspect's text has no raw field names; --json keeps them")
    func plainWords() async throws {
        try await withTextServer { server in
            let text = try await runCLI(["inspect", "--no-probe"], port: server.port)
            #expect(!text.stdout.contains("trainingInProto"))
            #expect(text.stdout.contains("Training: on, 1 trainable method"), "\(text.stdout)")
            let json = try await runCLI(["inspect", "--no-probe", "--json"], port: server.port)
            #expect(try json.json()["trainingInProto"] as? Bool == true)
        }
    }

    @Test("watch gives up on a model left CREATED (a failed upload) instead of waiting for ever")
    func watchCreated() async throws {
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let help = try await runCLI(["watch", "--help"], port: nil)
            #expect(help.stdout.contains("after a minute in CREATED"))
            let watch = try await runCLI(["watch", id, "--interval", "0.2", "--timeout", "1"], port: server.port)
            #expect(watch.exitCode == 7)
            #expect(watch.stderr.contains("next: watch longer"), "\(watch.stderr)")
        }
    }

    @Test("upload packs a folder; an archive only the SDK refuses is sent with a warning saying how to fix it")
    func uploadFolderAndSDKWarning() async throws {
        let scratch = try ScratchDirectory()
        let folder = scratch.url.appending(path: "texts")
        for (path, text) in [
            ("animals/1.txt", "the cat and the dog"), ("animals/2.TXT", "a cow a cat"), ("weather/1.txt", "rain and snow"), ("weather/2.txt", "sun rain"),
        ] {
            let file = folder.appending(path: path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        try Data("junk".utf8).write(to: folder.appending(path: ".DS_Store"))
        let folders = scratch.file("folders.zip")
        try ArchiveBuilder.zip(["animals/": Data(), "animals/1.txt": Data("a cat".utf8), "weather/1.txt": Data("rain".utf8)], at: folders)
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let packed = try await runCLI(["upload", id, folder.path(percentEncoded: false), "--json"], port: server.port)
            #expect(packed.exitCode == 0, "\(packed.stderr)")
            let output = try packed.json()
            #expect((output["sdk"] as? [String: Any])?["accepted"] as? Bool == true)
            #expect(output["packedFrom"] as? String == folder.path(percentEncoded: false))
            let watch = try await runCLI(["watch", id, "--until", "VALIDATED", "--interval", "0.1"], port: server.port)
            #expect(watch.exitCode == 0, "\(watch.stdout) \(watch.stderr)")

            let check = try await runCLI(["check", folders.path(percentEncoded: false)], port: server.port)
            #expect(check.exitCode == 9, "\(check.stdout) \(check.stderr)")
            #expect(check.stdout.contains("Wrong file type: `` in file: `animals/`. Allowed file types: txt"), "\(check.stdout)")

            let other = try await runCLI(["create", "--method", "stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let warned = try await runCLI(["upload", other, folders.path(percentEncoded: false)], port: server.port)
            #expect(warned.exitCode == 0, "\(warned.stderr)")
            #expect(warned.stderr.contains("warning: the Python SDK (snet-sdk 6.0.0) would refuse to send folders.zip"), "\(warned.stderr)")
            #expect(warned.stderr.contains("zip again with zip -r -D, or use snet-train pack FOLDER"), "\(warned.stderr)")
        }
    }

    @Test("a gateway whose provider is down: the error is the gateway's, not 'is the server running'")
    func providerDown() async throws {
        let scratch = try ScratchDirectory()
        let gateway = try freePort()
        let process = Process()
        process.executableURL = try cliBinary().deletingLastPathComponent().appending(path: "training-gateway")
        process.arguments = ["--config", ReadmeWalkthrough.packageRoot.appending(path: "Examples/python-intent/gateway.yaml").path(percentEncoded: false)]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "TRAINING_GATEWAY_SERVER_PORT": "\(gateway)", "TRAINING_GATEWAY_PROVIDER_ENDPOINT": "127.0.0.1:\(try freePort())",
            "TRAINING_GATEWAY_SERVER_DATA_DIRECTORY": scratch.url.path(percentEncoded: false), "TRAINING_GATEWAY_LOG_LEVEL": "error",
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        let up = try await runCLI(["inspect", "--no-probe", "--wait-for-server", "60"], port: gateway)
        #expect(up.exitCode == 0, "\(up.stderr)")
        let call = try await runCLI(["call", "intent.IntentClassifier/labels"], port: gateway)
        #expect(call.exitCode == 2, "\(call.stderr)")
        #expect(call.stderr.hasPrefix("error: UNAVAILABLE: "), "\(call.stderr)")
        #expect(!call.stderr.contains("is the server running"), "\(call.stderr)")
        #expect(call.stderr.contains("is up and answered UNAVAILABLE"), "\(call.stderr)")

        let nobody = try await runCLI(["status", "x"], port: try freePort())
        #expect(nobody.exitCode == 3)
        #expect(nobody.stderr.contains("is the server running"), "\(nobody.stderr)")
    }

    @Test("Ctrl-C during an upload stops it and says what state the model is in")
    func interruptedUpload() async throws {
        let scratch = try ScratchDirectory()
        // Large enough that the upload is still running when the signal comes; sparse, so cheap to make.
        let big = scratch.file("big.zip")
        _ = FileManager.default.createFile(atPath: big.path(percentEncoded: false), contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        let server = try await LiveTrainingServer.start { configuration, logger in
            try await TextLabelService.makeServer(configuration: configuration, logger: logger, maxDatasetMB: 0)
        }
        defer { server.removeData() }
        let id = try await runCLI(["create", "--method", "stt", "--name", "m"], port: server.port)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try await runCLIInterrupted(
            ["upload", id, big.path(percentEncoded: false), "--no-check", "--endpoint", "127.0.0.1:\(server.port)"],
            whenStderrContains: "uploaded 0%"
        )
        try await server.stop()
        #expect(run.exitCode == 130, "\(run.stderr)")
        #expect(run.stderr.contains("error: INTERRUPTED: Interrupted after sending"), "\(run.stderr)")
        #expect(run.stderr.contains("so model \(id) is CREATED"), "\(run.stderr)")
        #expect(run.stderr.contains("next: upload again: snet-train upload \(id)"), "\(run.stderr)")
    }
}

/// Runs `snet-train ARGUMENTS` and sends it SIGINT once its standard error shows `marker`.
func runCLIInterrupted(_ arguments: [String], whenStderrContains marker: String, timeout: Duration = .seconds(120)) async throws -> CLIRun {
    let scratch = try ScratchDirectory()
    let out = scratch.file("out")
    let err = scratch.file("err")
    _ = FileManager.default.createFile(atPath: out.path(percentEncoded: false), contents: nil)
    _ = FileManager.default.createFile(atPath: err.path(percentEncoded: false), contents: nil)
    let process = Process()
    process.executableURL = try cliBinary()
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = ContinuousClock.now + timeout
    var sent = false
    while process.isRunning {
        if ContinuousClock.now > deadline {
            process.terminate()
            throw CLIError("snet-train \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        if !sent, (try? String(contentsOf: err, encoding: .utf8))?.contains(marker) == true {
            kill(process.processIdentifier, SIGINT)
            sent = true
        }
        try await Task.sleep(for: .milliseconds(10))
    }
    return CLIRun(
        exitCode: process.terminationStatus,
        stdout: try String(contentsOf: out, encoding: .utf8),
        stderr: try String(contentsOf: err, encoding: .utf8)
    )
}
