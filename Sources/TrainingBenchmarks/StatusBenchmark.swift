import SwiftProtobuf
import Foundation
import GRPCCore
import TrainingProto

/// `get_model_status` calls/s and p50/p99 at 1, 16 and 64 concurrent callers on one connection,
/// against the constant-answer server on the same transport (the ceiling), then a long run at 64
/// callers with each server's resident memory before and after (growth under unary load).
struct StatusBenchmark: Benchmark {
    let title = "get_model_status against the constant-answer server (the transport's ceiling)"

    func run(_ context: BenchmarkContext) async throws {
        let constant = try context.startServer(.constant)
        defer { constant.stop() }
        let training = try context.startServer(.training)
        defer { training.stop() }
        let step: Duration = context.quick ? .milliseconds(300) : .seconds(4)
        let rounds = context.quick ? 1 : 4
        let sustained: Duration = context.quick ? .milliseconds(500) : .seconds(30)

        try await BenchmarkClient.with(port: constant.port) { constantClient in
            try await BenchmarkClient.with(port: training.port) { trainingClient in
                let id = try await BenchmarkClient.createModel(trainingClient)
                let request = Training_ModelID.with { $0.modelID = id }
                let callConstant: @Sendable (Int, Int) async throws -> Void = { _, _ in
                    _ = try await constantClient.get_model_status(request)
                }
                let callServer: @Sendable (Int, Int) async throws -> Void = { _, _ in
                    _ = try await trainingClient.get_model_status(request)
                }
                let bootRSS = (constant.memory.residentBytes(), training.memory.residentBytes())
                // Warm up both (connections, allocator, SQLite page cache) before anything counts.
                _ = await LoadRunner.run(callers: 16, for: step, callConstant)
                _ = await LoadRunner.run(callers: 16, for: step, callServer)
                let startRSS = (constant.memory.residentBytes(), training.memory.residentBytes())
                var calls = (0, 0)

                print(
                    Formatting.header([
                        "callers", "ceiling calls/s", "ceiling p50", "ceiling p99",
                        "server calls/s", "server p50", "server p99", "server / ceiling (calls/s)",
                    ]))
                for callers in [1, 16, 64] {
                    // Taken in turns (four 1-second slices each), so a burst of other work on the
                    // machine falls on both servers rather than on one of them.
                    var slices: (ceiling: [LatencySample], server: [LatencySample]) = ([], [])
                    for _ in 0..<rounds {
                        slices.ceiling.append(await LoadRunner.run(callers: callers, for: step / rounds, callConstant))
                        slices.server.append(await LoadRunner.run(callers: callers, for: step / rounds, callServer))
                    }
                    let ceiling = LatencySample(merging: slices.ceiling)
                    let server = LatencySample(merging: slices.server)
                    calls.0 += ceiling.count
                    calls.1 += server.count
                    print(
                        Formatting.row([
                            "\(callers)",
                            Formatting.fixed(ceiling.callsPerSecond, 0), Formatting.milliseconds(ceiling.p50),
                            Formatting.milliseconds(ceiling.p99),
                            Formatting.fixed(server.callsPerSecond, 0), Formatting.milliseconds(server.p50),
                            Formatting.milliseconds(server.p99),
                            Formatting.ratio(server.callsPerSecond / ceiling.callsPerSecond)
                                + (server.errors + ceiling.errors > 0 ? " (\(server.errors + ceiling.errors) errors)" : ""),
                        ]))
                }

                // Then a long run at 64 callers: resident memory after it against right after warm-up.
                let longCeiling = await LoadRunner.run(callers: 64, for: sustained, callConstant)
                let longServer = await LoadRunner.run(callers: 64, for: sustained, callServer)
                calls.0 += longCeiling.count
                calls.1 += longServer.count
                print("")
                print(
                    Formatting.header([
                        "server", "RSS idle", "calls after warm-up", "RSS after warm-up", "RSS after the calls", "growth after warm-up",
                    ]))
                for (name, process, count, idle, before) in [
                    ("ceiling", constant, calls.0, bootRSS.0, startRSS.0), ("server", training, calls.1, bootRSS.1, startRSS.1),
                ] {
                    let after = process.memory.residentBytes()
                    print(
                        Formatting.row([
                            name, Formatting.mib(idle), "\(count)", Formatting.mib(before), Formatting.mib(after), Formatting.signedMiB(after - before),
                        ]))
                }
            }
        }
    }
}
