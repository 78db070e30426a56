import ExampleServiceProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import STTService
import SwiftProtobuf
import TrainingProto
import TrainingTesting

/// The run an idle node is measured after: hostile archives (each refused), 8 uploads at once of a
/// speech dataset, two of those models trained at once, then `stt` calls from 4 callers on the two
/// trained models and the default one, with one-second clips and clips of the longest accepted length.
struct MixedSequence: Sendable {
    let hostile: [(name: String, file: URL)]
    let dataset: URL
    let datasetBytes: Int
    /// A shipped one-second clip.
    let clip: Data
    let clips: [Data]
    let longest: Data
    let quick: Bool

    init(work: URL, quick: Bool) throws {
        self.quick = quick
        hostile = try HostileArchives.write(in: work, quick: quick)
        let words = work.appending(path: "words", directoryHint: .isDirectory)
        try SpeechData.datasetDirectory(clipCount: quick ? 60 : 480, at: words)
        dataset = work.appending(path: "words.zip")
        try ArchiveBuilder.zip(directory: words, at: dataset)
        datasetBytes = (try FileManager.default.attributesOfItem(atPath: dataset.path(percentEncoded: false))[.size] as? Int) ?? 0
        let shipped = try SpeechData.clips()
        clips = try shipped.prefix(quick ? 10 : 60).map { try Data(contentsOf: $0.file) }
        clip = clips[0]
        longest = try SpeechData.longClip(from: shipped[0].file, seconds: SpeechLimits.defaults.maxClipSeconds - 0.1)
    }

    /// What the sequence did, for the notes under the table.
    struct Outcome: Sendable {
        var trainedModels: [String]
        var summary: String
    }

    /// - Parameter pid: the node's process, whose CPU the inference part is measured by.
    func run(port: Int, pid: String) async throws -> Outcome {
        try await BenchmarkClient.withGRPC(port: port) { grpc in
            let models = Training_Model.Client(wrapping: grpc)
            let speech = Service_ExampleService.Client(wrapping: grpc)

            var refusedAtUpload = 0
            var erroredAtValidation = 0
            for (name, file) in hostile {
                let id = try await BenchmarkClient.createModel(models)
                do {
                    _ = try await SDKUpload.upload(file: file, modelID: id, client: models)
                } catch is RPCError {
                    refusedAtUpload += 1
                    continue
                }
                let status = try await Self.wait(for: id, whileIn: [.validating], models)
                guard status == .errored else { throw BenchmarkFailure("the hostile archive '\(name)' was accepted (\(status))") }
                erroredAtValidation += 1
            }

            let uploaded = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let id = try await BenchmarkClient.createModel(models)
                        _ = try await SDKUpload.upload(file: dataset, modelID: id, client: models)
                        return id
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for id in uploaded {
                let status = try await Self.wait(for: id, whileIn: [.validating], models)
                guard status == .validated else { throw BenchmarkFailure("an uploaded dataset ended \(status)") }
            }

            let trained = Array(uploaded.prefix(2))
            for id in trained { _ = try await models.train_model(.with { $0.modelID = id }) }
            for id in trained {
                let status = try await Self.wait(for: id, whileIn: [.validated, .training], models)
                guard status == .readyToUse else { throw BenchmarkFailure("a training ended \(status)") }
            }

            // nil: the method's default model.
            let targets: [String?] = trained + [nil]
            let inferenceStart = ContinuousClock.now
            let nodeBefore = ProcessActivity(pid: pid)
            let calls = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var count = 0
                        for model in targets {
                            for clip in clips + Array(repeating: longest, count: quick ? 1 : 2) {
                                _ = try await speech.stt(
                                    .with {
                                        if let model { $0.modelID = .with { $0.modelID = model } }
                                        $0.speech = clip
                                    })
                                count += 1
                            }
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let inferenceTime = ContinuousClock.now - inferenceStart
            let inference = ProcessActivity(pid: pid) - nodeBefore
            let summary =
                "\(hostile.count) hostile archives (\(refusedAtUpload) refused at upload, \(erroredAtValidation) ERRORED at validation); "
                + "8 uploads at once of a \(Formatting.size(datasetBytes)) dataset; 2 trainings at once; "
                + "\(calls) stt calls from 4 callers on 3 models (\(clips.count) one-second clips and \(quick ? 1 : 2) of "
                + "\(Formatting.fixed(SpeechLimits.defaults.maxClipSeconds - 0.1)) s per model and caller) in "
                + "\(Formatting.fixed(Double(inferenceTime.components.seconds) + Double(inferenceTime.components.attoseconds) / 1e18)) s, "
                + "node CPU per call \(Formatting.milliseconds(Double(inference.cpuNanoseconds) / 1e6 / Double(max(calls, 1))))"
            return Outcome(trainedModels: trained, summary: summary)
        }
    }

    /// Polls until the model leaves `statuses`; returns the status it reached.
    private static func wait(
        for id: String, whileIn statuses: Set<Training_Status>, _ models: Training_Model.Client<HTTP2ClientTransport.Posix>
    ) async throws -> Training_Status {
        let deadline = ContinuousClock.now + .seconds(900)
        while ContinuousClock.now < deadline {
            let status = try await models.get_model_status(.with { $0.modelID = id }).status
            if !statuses.contains(status) { return status }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchmarkFailure("model \(id) stayed \(statuses) for 900 s")
    }
}
