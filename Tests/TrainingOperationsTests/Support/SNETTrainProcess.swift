import Foundation

/// One run of the built `snet-train` binary: exit code and both outputs.
struct SNETTrainRun {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// Runs `snet-train` (built beside the tests by `swift build --build-tests`) with `arguments`,
/// outputs to files so no pipe can fill and stall it.
func runSNETTrain(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> SNETTrainRun {
    let bundle = Bundle.main.bundleURL
    let argument0 = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
        bundle, bundle.deletingLastPathComponent(), bundle.deletingLastPathComponent().deletingLastPathComponent(),
        argument0, argument0.deletingLastPathComponent(),
        URL(filePath: FileManager.default.currentDirectoryPath).appending(path: ".build/debug"),
    ].map { $0.appending(path: "snet-train") }
    guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path(percentEncoded: false)) }) else {
        throw SNETTrainMissing()
    }
    let scratch = FileManager.default.temporaryDirectory.appending(path: "snet-train-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appending(path: "out")
    let err = scratch.appending(path: "err")
    _ = FileManager.default.createFile(atPath: out.path(percentEncoded: false), contents: nil)
    _ = FileManager.default.createFile(atPath: err.path(percentEncoded: false), contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["SNET_TRAIN_ENDPOINT"] = nil
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            process.terminate()
            throw SNETTrainMissing(message: "snet-train \(arguments.joined(separator: " ")) did not finish in time")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return SNETTrainRun(
        exitCode: process.terminationStatus,
        stdout: try String(contentsOf: out, encoding: .utf8),
        stderr: try String(contentsOf: err, encoding: .utf8)
    )
}

struct SNETTrainMissing: Error, CustomStringConvertible {
    var message = "snet-train is not built; run swift build --build-tests first"
    var description: String { message }
}
