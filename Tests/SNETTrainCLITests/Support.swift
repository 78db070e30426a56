import ExampleServiceProto
import Foundation
import GRPCCore
import Logging
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

/// Starts a `TextLabelService` server (text datasets, fast) and stops it after `body`.
func withTextServer<R>(
    configure: (inout TrainingServerConfiguration) -> Void = { _ in },
    trainer: TextLabelTrainer = TextLabelTrainer(),
    _ body: (LiveTrainingServer) async throws -> R
) async throws -> R {
    let server = try await LiveTrainingServer.start(configure: configure) { configuration, logger in
        try await TextLabelService.makeServer(configuration: configuration, logger: logger, trainer: trainer)
    }
    do {
        let result = try await body(server)
        try await server.stop()
        server.removeData()
        return result
    } catch {
        try? await server.stop()
        server.removeData()
        throw error
    }
}

/// What one run of the `snet-train` binary did.
struct CLIRun {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    /// Standard output as one JSON object.
    func json() throws -> [String: Any] {
        try Self.object(stdout)
    }

    /// Each line of standard output as a JSON object (`watch --json`).
    func jsonLines() throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try Self.object(String($0)) }
    }

    static func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let object = value as? [String: Any] else { throw CLIError("not a JSON object: \(text)") }
        return object
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The built `snet-train` binary: `swift build --build-tests` puts it beside the test bundle.
func cliBinary() throws -> URL {
    var candidates: [URL] = []
    let bundle = Bundle.main.bundleURL
    candidates += [bundle, bundle.deletingLastPathComponent(), bundle.deletingLastPathComponent().deletingLastPathComponent()]
        .map { $0.appending(path: "snet-train") }
    let argument0 = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent()
    candidates += [argument0, argument0.deletingLastPathComponent()].map { $0.appending(path: "snet-train") }
    candidates.append(URL(filePath: FileManager.default.currentDirectoryPath).appending(path: ".build/debug/snet-train"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path(percentEncoded: false)) }) else {
        throw CLIError("snet-train is not built; run swift build --build-tests first. Looked in: \(candidates.map(\.path))")
    }
    return found
}

/// Runs `snet-train ARGUMENTS --endpoint 127.0.0.1:PORT` (no `--endpoint` when `port` is nil) and waits for it (standard input closed,
/// outputs to files, so no pipe can fill up and stall it).
/// `environment` is added to the test's own.
func runCLI(
    _ arguments: [String],
    port: Int?,
    environment: [String: String] = [:],
    timeout: Duration = .seconds(60)
) async throws -> CLIRun {
    let scratch = FileManager.default.temporaryDirectory.appending(path: "cli-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appending(path: "out")
    let err = scratch.appending(path: "err")
    _ = FileManager.default.createFile(atPath: out.path(percentEncoded: false), contents: nil)
    _ = FileManager.default.createFile(atPath: err.path(percentEncoded: false), contents: nil)
    let process = Process()
    process.executableURL = try cliBinary()
    process.arguments = arguments + (port.map { ["--endpoint", "127.0.0.1:\($0)"] } ?? [])
    // The tests say where the server is; a developer's own SNET_TRAIN_ENDPOINT must not redirect them.
    var inherited = ProcessInfo.processInfo.environment
    inherited["SNET_TRAIN_ENDPOINT"] = nil
    process.environment = inherited.merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            process.terminate()
            throw CLIError("snet-train \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return CLIRun(
        exitCode: process.terminationStatus,
        stdout: try String(contentsOf: out, encoding: .utf8),
        stderr: try String(contentsOf: err, encoding: .utf8)
    )
}

/// A zip of `<label>/<n>.txt` texts that `TextLabelTrainer` accepts.
func textDataset(in scratch: borrowing ScratchDirectory, name: String = "texts.zip") throws -> URL {
    let url = scratch.file(name)
    try ArchiveBuilder.textDataset(at: url)
    return url
}

/// Files left under a model's folder in an area (`uploads`, `datasets`), recursively.
func files(of modelID: String, area: String, in server: LiveTrainingServer) -> [String] {
    let folder = server.dataDirectory.appending(path: "models/\(modelID)/\(area)")
    let walker = FileManager.default.enumerator(atPath: folder.path(percentEncoded: false))
    var found: [String] = []
    while let next = walker?.nextObject() as? String { found.append(next) }
    return found
}

/// The `stt` method options `TextLabelService` declares (its descriptor set), to compare with what
/// the server publishes.
var textSTTOptions: Google_Protobuf_MethodOptions {
    let set = try! Google_Protobuf_FileDescriptorSet(serializedBytes: TextLabelService.descriptorSet, extensions: Training_Training_Extensions)
    return set.file.flatMap(\.service).flatMap(\.method).first { $0.name == "stt" }!.options
}
