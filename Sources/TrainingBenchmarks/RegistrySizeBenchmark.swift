import SwiftProtobuf
import Foundation
import Logging
import SNETTraining
import TrainingProto
import TrainingCore
import TrainingRegistry

/// `get_model_status` latency on a node whose registry holds 100 000 models, against the same node
/// with an empty registry (only the polled models). Both poll the same number of models, round robin.
struct RegistrySizeBenchmark: Benchmark {
    let title = "Registry size: get_model_status with 100k models against an empty registry"

    func run(_ context: BenchmarkContext) async throws {
        let modelCount = context.quick ? 2_000 : 100_000
        let polledCount = 64
        let step: Duration = context.quick ? .milliseconds(300) : .seconds(4)
        let emptyData = try context.directory("registry-empty")
        let fullData = try context.directory("registry-full")
        let emptyIDs = try await Self.populate(emptyData, extraModels: 0, polled: polledCount)
        let fullIDs = try await Self.populate(fullData, extraModels: modelCount, polled: polledCount)
        let empty = try context.startServer(.training, data: emptyData)
        defer { empty.stop() }
        let full = try context.startServer(.training, data: fullData)
        defer { full.stop() }

        try await BenchmarkClient.with(port: empty.port) { emptyClient in
            try await BenchmarkClient.with(port: full.port) { fullClient in
                let pollEmpty: @Sendable (Int, Int) async throws -> Void = { caller, iteration in
                    _ = try await emptyClient.get_model_status(.with { $0.modelID = emptyIDs[(caller + iteration) % emptyIDs.count] })
                }
                let pollFull: @Sendable (Int, Int) async throws -> Void = { caller, iteration in
                    _ = try await fullClient.get_model_status(.with { $0.modelID = fullIDs[(caller + iteration) % fullIDs.count] })
                }
                _ = await LoadRunner.run(callers: 16, for: step, pollEmpty)
                _ = await LoadRunner.run(callers: 16, for: step, pollFull)
                print(
                    Formatting.header([
                        "callers", "empty registry p50", "p99", "calls/s", "\(modelCount) models p50", "p99", "calls/s",
                        "p50 ratio", "p99 ratio",
                    ]))
                for callers in [1, 16] {
                    let small = await LoadRunner.run(callers: callers, for: step, pollEmpty)
                    let large = await LoadRunner.run(callers: callers, for: step, pollFull)
                    print(
                        Formatting.row([
                            "\(callers)", Formatting.milliseconds(small.p50), Formatting.milliseconds(small.p99),
                            Formatting.fixed(small.callsPerSecond, 0), Formatting.milliseconds(large.p50),
                            Formatting.milliseconds(large.p99), Formatting.fixed(large.callsPerSecond, 0),
                            Formatting.ratio(large.p50 / small.p50), Formatting.ratio(large.p99 / small.p99),
                        ]))
                }
            }
        }
    }

    /// Writes a registry of `extraModels + polled` models into `directory` (the server's data
    /// directory) through the registry's own API, and returns the ids of the polled ones. It is
    /// filled in memory-backed storage when there is some (one fsync per model would take minutes)
    /// and then copied into place, closed and checkpointed, exactly as a server leaves it.
    private static func populate(_ directory: URL, extraModels: Int, polled: Int) async throws -> [String] {
        let logger = Logger(label: "benchmark-registry")
        let shm = URL(filePath: "/dev/shm", directoryHint: .isDirectory)
        let fillDirectory =
            FileManager.default.isWritableFile(atPath: shm.path(percentEncoded: false))
            ? shm.appending(path: "snet-benchmark-\(UUID().uuidString.prefix(8))", directoryHint: .isDirectory) : directory
        try FileManager.default.createDirectory(at: fillDirectory, withIntermediateDirectories: true)
        let file = fillDirectory.appending(path: "registry.sqlite")
        let sessions = try await SQLiteSessionProvider.open(path: file.path(percentEncoded: false), logger: logger)
        let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
        let method = MethodName(service: "service.ExampleService", method: "stt")
        let now = Date()
        var polledIDs: [String] = []
        let total = extraModels + polled
        // The polled models are spread through the table, not bunched at one end.
        let spacing = max(1, total / polled)
        for index in 0..<total {
            let id = ModelIdentifier.generate()
            let address = "0x" + String(repeating: String(index % 16, radix: 16), count: 40)
            try await registry.create(ModelRecord(id: id, method: method, name: "model \(index)", addressList: [address], now: now))
            if index % spacing == 0 && polledIDs.count < polled { polledIDs.append(id) }
        }
        await registry.shutdown()
        if fillDirectory != directory {
            for item in try FileManager.default.contentsOfDirectory(at: fillDirectory, includingPropertiesForKeys: nil) {
                try FileManager.default.copyItem(at: item, to: directory.appending(path: item.lastPathComponent))
            }
            try FileManager.default.removeItem(at: fillDirectory)
        }
        return polledIDs
    }
}
