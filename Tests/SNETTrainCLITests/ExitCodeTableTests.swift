import Foundation
import Testing
import TrainingTesting

/// The documented exit-code tables (docs/snet-train.md, docs/stt-service.md) are what the programs say and do: snet-train's against its `--help`,
/// stt-service's against its `--help`, and each snet-train code against a command that ends with it.
@Suite("Documented exit-code tables")
struct ExitCodeTableTests {
    /// `code → meaning` rows of the first table after `heading` in the document at `path`.
    static func documentedCodes(after heading: String, in path: String) throws -> [Int32] {
        try ReadmeWalkthrough.table(after: heading, in: ReadmeWalkthrough.document(path)).compactMap { Int32($0.first ?? "") }
    }

    /// The codes a `--help` text lists in its `Exit codes:` section (lines that start with a number).
    static func helpCodes(_ help: String) throws -> [Int32] {
        guard let section = help.range(of: "Exit codes:") else { throw CLIError("no 'Exit codes:' in help") }
        return help[section.upperBound...].split(separator: "\n").compactMap { line in
            line.split(separator: " ").first.flatMap { Int32($0) }
        }
    }

    @Test("snet-train: the documented table lists the codes --help lists")
    func snetTrainTable() async throws {
        let documented = try Self.documentedCodes(after: "`--caller ADDRESS` sends", in: "docs/snet-train.md")
        let help = try await runCLI(["--help"], port: nil)
        #expect(!documented.isEmpty)
        #expect(documented == (try Self.helpCodes(help.stdout)))
    }

    @Test("stt-service: the documented start-up table lists the codes --help lists")
    func sttServiceTable() async throws {
        let documented = try Self.documentedCodes(after: "Start-up checks the cheap things first", in: "docs/stt-service.md")
        let help = try await runProcess(sttServiceBinary(), ["--help"])
        #expect(!documented.isEmpty)
        #expect(documented == (try Self.helpCodes(help.stdout)))
    }

    @Test("snet-train: every code in the documented table is what some command ends with")
    func everyCodeHappens() async throws {
        let documented = Set(try Self.documentedCodes(after: "`--caller ADDRESS` sends", in: "docs/snet-train.md"))
        let scratch = try ScratchDirectory()
        let bad = scratch.file("bad.zip")
        try ArchiveBuilder.zip(["a/1.txt": Data("x".utf8), "b/clip.mp3": Data("y".utf8)], at: bad)
        let oneLabel = scratch.file("one.zip")
        try ArchiveBuilder.zip(["only/1.txt": Data("one".utf8)], at: oneLabel)
        var seen: Set<Int32> = []
        try await withTextServer { server in
            let port = server.port
            func run(_ arguments: [String]) async throws -> Int32 { try await runCLI(arguments, port: port).exitCode }
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            seen.insert(try await run(["status", id]))  // 0
            seen.insert(try await run(["upload", id, "/nonexistent.zip"]))  // 1
            seen.insert(try await run(["train", id]))  // 2
            seen.insert(try await runCLI(["status", id, "--endpoint", "127.0.0.1:\(try freePort())"], port: nil).exitCode)  // 3
            seen.insert(try await run(["upload", id, bad.path(percentEncoded: false)]))  // 4
            _ = try await run(["upload", id, oneLabel.path(percentEncoded: false)])
            seen.insert(try await run(["watch", id, "--interval", "0.1"]))  // 5
            let other = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            seen.insert(try await run(["watch", other, "--interval", "0.1", "--timeout", "0.2"]))  // 7
            _ = try await run(["delete", other])
            seen.insert(try await run(["watch", other]))  // 6
            let sdkOnly = scratch.file("folders.zip")
            try ArchiveBuilder.zip(["a/": Data(), "a/1.txt": Data("x".utf8), "b/1.txt": Data("y".utf8)], at: sdkOnly)
            seen.insert(try await run(["check", sdkOnly.path(percentEncoded: false)]))  // 9
            seen.insert(try await run(["creat"]))  // 64
        }
        // 8 (inspect --strict with warnings) needs a misdeclared service: InspectCommandTests.mistakes;
        // 130 (Ctrl-C during an upload): ConsumerWallTests.interruptedUpload.
        #expect(documented.subtracting(seen) == [8, 130], "codes the table lists that no command above ended with")
        #expect(seen.subtracting(documented).isEmpty, "codes the commands ended with that the table does not list")
    }
}

/// The built `stt-service` binary, beside `snet-train`.
func sttServiceBinary() throws -> URL {
    try cliBinary().deletingLastPathComponent().appending(path: "stt-service")
}

/// Runs any binary to completion (standard input closed, outputs to files).
func runProcess(_ binary: URL, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> CLIRun {
    let scratch = try ScratchDirectory()
    let out = scratch.file("out")
    let err = scratch.file("err")
    _ = FileManager.default.createFile(atPath: out.path(percentEncoded: false), contents: nil)
    _ = FileManager.default.createFile(atPath: err.path(percentEncoded: false), contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            process.terminate()
            throw CLIError("\(binary.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return CLIRun(
        exitCode: process.terminationStatus,
        stdout: try String(contentsOf: out, encoding: .utf8),
        stderr: try String(contentsOf: err, encoding: .utf8)
    )
}
