import SwiftProtobuf
import ExampleServiceProto
import Foundation
import GRPCCore
import Logging
import STTService
import SpeechCommands

/// `stt` inference over gRPC, one caller: milliseconds per clip for the shipped one-second clips
/// and for a clip of the longest accepted duration, against recognising the same clips in-process
/// with the same default model (the work itself, no transport).
struct InferenceBenchmark: Benchmark {
    let title = "Inference: stt ms per clip over gRPC against in-process recognition"

    func run(_ context: BenchmarkContext) async throws {
        let server = try context.startSpeechServer()
        defer { server.stop() }
        let shipped = try SpeechData.clips()
        let clips = try (context.quick ? Array(shipped.prefix(10)) : shipped).map { try Data(contentsOf: $0.file) }
        let longest = try SpeechData.longClip(from: shipped[0].file, seconds: SpeechLimits.defaults.maxClipSeconds - 0.1)
        var quiet = Logger(label: "benchmark")
        quiet.logLevel = .critical
        let model = try await DefaultSpeechModel.load(
            dataset: SpeechData.defaultDataset, cacheDirectory: server.dataDirectory, logger: quiet
        )

        try await BenchmarkClient.withGRPC(port: server.port) { grpc in
            let client = Service_ExampleService.Client(wrapping: grpc)
            print(Formatting.header(["clips", "in-process ms/clip", "gRPC stt ms/clip", "gRPC / in-process"]))
            for (label, set, rounds) in [
                ("\(clips.count) shipped clips (~1 s)", clips, 1),
                ("one \(Formatting.fixed(SpeechLimits.defaults.maxClipSeconds - 0.1)) s clip (the longest accepted)", [longest], context.quick ? 1 : 5),
            ] {
                _ = try model.recognize(wav: set[0])  // warm-up
                let direct = try LoadRunner.time {
                    for _ in 0..<rounds { for clip in set { _ = try model.recognize(wav: clip) } }
                }
                let remote = try await LoadRunner.time {
                    for _ in 0..<rounds { for clip in set { _ = try await client.stt(.with { $0.speech = clip }) } }
                }
                let calls = Double(set.count * rounds)
                print(
                    Formatting.row([
                        label, Formatting.milliseconds(direct * 1000 / calls), Formatting.milliseconds(remote * 1000 / calls),
                        Formatting.ratio(remote / direct),
                    ]))
            }
        }
    }
}
