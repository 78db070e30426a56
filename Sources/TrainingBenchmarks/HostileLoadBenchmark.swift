import SwiftProtobuf
import ExampleServiceProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import STTService
import Synchronization
import TrainingProto
import TrainingTesting

/// Hostile load: `get_model_status` p50/p99 from many pollers on an idle `stt-service`
/// node, then on the same node while two training jobs run (restarted as soon as they finish) and
/// several callers send `stt` clips of the longest accepted duration without pause. Same run, same
/// pollers; the ratio is the figure (target: p99 under load within 5x of idle).
struct HostileLoadBenchmark: Benchmark {
    let title = "Hostile load: get_model_status on an idle node and under two training jobs and maximal stt calls"

    func run(_ context: BenchmarkContext) async throws {
        let pollers = 16
        let inferenceCallers = 4
        let window: Duration = context.quick ? .seconds(1) : .seconds(15)
        let server = try context.startSpeechServer()
        defer { server.stop() }
        let work = try context.directory("hostile")
        let dataset = work.appending(path: "words.zip")
        try ArchiveBuilder.zip(directory: SpeechData.defaultDataset, at: dataset)
        let longest = try SpeechData.longClip(
            from: try SpeechData.clips()[0].file, seconds: SpeechLimits.defaults.maxClipSeconds - 0.1
        )

        try await BenchmarkClient.withGRPC(port: server.port) { grpc in
            let models = Training_Model.Client(wrapping: grpc)
            let speech = Service_ExampleService.Client(wrapping: grpc)
            var ids: [String] = []
            for _ in 0..<2 {
                let id = try await BenchmarkClient.createModel(models)
                _ = try await SDKUpload.upload(file: dataset, modelID: id, client: models)
                ids.append(id)
            }
            for id in ids { try await Self.wait(for: id, toBe: .validated, models) }
            let modelIDs = ids
            var options = CallOptions.defaults
            options.timeout = .seconds(5)
            let pollOptions = options
            let poll: @Sendable (Int, Int) async throws -> Void = { caller, iteration in
                _ = try await models.get_model_status(.with { $0.modelID = modelIDs[(caller + iteration) % modelIDs.count] }, options: pollOptions)
            }

            _ = await LoadRunner.run(callers: pollers, for: .milliseconds(500), poll)  // warm-up
            let idle = await LoadRunner.run(callers: pollers, for: window, poll)

            let activity = LoadActivityLog()
            let loaded = try await withThrowingTaskGroup(of: Void.self) { group in
                for id in modelIDs {
                    group.addTask { try await Self.keepTraining(id, models, activity) }
                }
                for _ in 0..<inferenceCallers {
                    group.addTask {
                        while !Task.isCancelled {
                            do {
                                _ = try await speech.stt(.with { $0.speech = longest })
                                activity.record { $0.inferences += 1 }
                            } catch let error as RPCError where error.code == .resourceExhausted {
                                activity.record { $0.refusedInferences += 1 }
                                try? await Task.sleep(for: .milliseconds(20))
                            } catch {
                                if Task.isCancelled { return }
                                activity.record { $0.failedInferences += 1 }
                                try? await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                }
                // Let both jobs start and the inference slots fill before polling counts.
                try await Task.sleep(for: .milliseconds(context.quick ? 300 : 1500))
                let sample = await LoadRunner.run(callers: pollers, for: window, poll)
                group.cancelAll()
                return sample
            }
            let seen = activity.snapshot

            print(Formatting.header(["node", "status calls", "calls/s", "p50", "p99", "errors or timeouts (5 s)"]))
            for (name, sample) in [("idle", idle), ("under hostile load", loaded)] {
                print(
                    Formatting.row([
                        name, "\(sample.count)", Formatting.fixed(sample.callsPerSecond, 0), Formatting.milliseconds(sample.p50),
                        Formatting.milliseconds(sample.p99), "\(sample.errors)",
                    ]))
            }
            print("")
            print(Formatting.row(["p50 under load / idle", Formatting.ratio(loaded.p50 / idle.p50)]))
            print(Formatting.row(["p99 under load / idle (target: within 5x)", Formatting.ratio(loaded.p99 / idle.p99)]))
            print("")
            print(
                "Load during the window: \(pollers) pollers; 2 models training (\(seen.trainingsStarted) training jobs started, "
                    + "\(seen.trainingsFinished) finished); \(inferenceCallers) callers sending \(Formatting.fixed(SpeechLimits.defaults.maxClipSeconds - 0.1)) s clips "
                    + "(\(seen.inferences) answered, \(seen.refusedInferences) refused as RESOURCE_EXHAUSTED, \(seen.failedInferences) failed otherwise; \(seen.refusedTrainings) train_model calls refused)."
            )
        }
    }

    /// Trains `id` again each time it is ready, so a training job is running for the whole window.
    private static func keepTraining(
        _ id: String, _ models: Training_Model.Client<HTTP2ClientTransport.Posix>, _ activity: LoadActivityLog
    ) async throws {
        while !Task.isCancelled {
            do {
                let status = try await models.get_model_status(.with { $0.modelID = id }).status
                switch status {
                case .validated, .readyToUse:
                    if status == .readyToUse { activity.record { $0.trainingsFinished += 1 } }
                    _ = try await models.train_model(.with { $0.modelID = id })
                    activity.record { $0.trainingsStarted += 1 }
                case .errored, .deleted:
                    throw BenchmarkFailure("model \(id) became \(status) under load")
                default:
                    try await Task.sleep(for: .milliseconds(100))
                }
            } catch is RPCError where !Task.isCancelled {
                // A refused train_model (a race with the job runner) is retried; the load goes on.
                activity.record { $0.refusedTrainings += 1 }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static func wait(
        for id: String, toBe wanted: Training_Status, _ models: Training_Model.Client<HTTP2ClientTransport.Posix>
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            let status = try await models.get_model_status(.with { $0.modelID = id }).status
            if status == wanted { return }
            if status == .errored { throw BenchmarkFailure("model \(id) was refused while waiting for \(wanted)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkFailure("model \(id) did not become \(wanted) in 300 s")
    }
}

/// Counts of what ran beside the pollers, updated from several tasks.
final class LoadActivityLog: Sendable {
    private let state = Mutex(LoadActivity())

    func record(_ update: (inout LoadActivity) -> Void) {
        state.withLock { update(&$0) }
    }

    var snapshot: LoadActivity { state.withLock { $0 } }
}

/// What ran beside the pollers.
struct LoadActivity: Sendable {
    var trainingsStarted = 0
    var trainingsFinished = 0
    var inferences = 0
    var refusedInferences = 0
    var failedInferences = 0
    var refusedTrainings = 0
}
