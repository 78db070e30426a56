import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import STTService
import Testing
import TrainingProto
import TrainingTesting

/// A PCM WAV of `seconds` of silence (or of white noise), mono 16-bit at `rate` Hz.
func silentWAV(seconds: Double, rate: Int = 16_000, noise: Bool = false) -> Data {
    let samples = Int(seconds * Double(rate))
    var data = Data()
    func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + samples * 2))
    data.append(contentsOf: Array("WAVE".utf8)); data.append(contentsOf: Array("fmt ".utf8))
    append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(rate)); append(UInt32(rate * 2))
    append(UInt16(2)); append(UInt16(16))
    data.append(contentsOf: Array("data".utf8)); append(UInt32(samples * 2))
    if noise {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<samples { append(Int16.random(in: -8000...8000, using: &generator)) }
    } else {
        data.append(Data(count: samples * 2))
    }
    return data
}

@Suite("Inference bounds of stt")
struct SpeechLimitsTests {
    func startSpeechServer(_ configure: @escaping (inout TrainingServerConfiguration) -> Void = { _ in }) async throws -> LiveTrainingServer {
        try await LiveTrainingServer.start(configure: configure) { configuration, logger in
            try await STTServer.make(configuration: configuration, defaultDataset: SpeechServiceTests.defaultDataset, logger: logger)
        }
    }

    @Test("a clip longer than the limit is INVALID_ARGUMENT naming the limit, decided from its header at once")
    func longClipRefusedFast() async throws {
        let server = try await startSpeechServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let service = Service_ExampleService.Client(wrapping: grpc)
            let clip = silentWAV(seconds: 120, rate: 8_000)
            let started = ContinuousClock.now
            let message = await expectRPCError(.invalidArgument) { _ = try await service.stt(.with { $0.speech = clip }) }
            #expect(message.contains("speech is 120 s long") && message.contains("at most 10 s."), "\(message)")
            let basic = await expectRPCError(.invalidArgument) { _ = try await service.basic_stt(.with { $0.speech = clip }) }
            #expect(basic.contains("at most 10 s."))
            // Recognising two minutes of audio takes far longer than this in any build (a 10 s clip
            // alone takes seconds in debug); the bound leaves room for a loaded CI machine.
            #expect(ContinuousClock.now - started < .seconds(10), "refused without decoding")
            // A clip within the limit is still recognised (silence is some answer, not an error).
            _ = try await service.basic_stt(.with { $0.speech = silentWAV(seconds: 1) })
        }
        try await server.stop()
    }

    @Test("a dataset holding clips over the limit ends ERRORED naming each of them; the limit is the configured one")
    func longClipsInDataset() async throws {
        let server = try await LiveTrainingServer.start { configuration, logger in
            try await STTServer.make(
                configuration: configuration, defaultDataset: SpeechServiceTests.defaultDataset, limits: SpeechLimits(maxClipSeconds: 3), logger: logger
            )
        }
        defer { server.removeData() }
        let scratch = try ScratchDirectory()
        let archive = scratch.file("long.zip")
        let clip = { (word: String, name: String) in try Data(contentsOf: SpeechServiceTests.defaultDataset.appending(path: "\(word)/\(name)")) }
        try ArchiveBuilder.zip(
            [
                "yes/a.wav": try clip("yes", "en-029-m7.wav"), "no/a.wav": try clip("no", "en-029-m7.wav"),
                "yes/speech.wav": silentWAV(seconds: 4, noise: true), "no/lecture.wav": silentWAV(seconds: 60, rate: 8_000, noise: true),
            ],
            at: archive
        )
        try await server.withClient { grpc in
            let (_, text) = try await TrainingClient(wrapping: grpc).rejectedModel(archive: archive)
            #expect(text.contains("yes/speech.wav: clip is 4 s long; clips may be at most 3 s"), "\(text)")
            #expect(text.contains("no/lecture.wav: clip is 60 s long"), "\(text)")
        }
        try await server.stop()
    }

    @Test("calls past the concurrency and queue bounds are RESOURCE_EXHAUSTED at once, with a retry hint")
    func overloadIsRefused() async throws {
        let server = try await startSpeechServer {
            $0.inference = InferenceLimits(concurrency: 1, queueLength: 1, threads: 1)
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let service = Service_ExampleService.Client(wrapping: grpc)
            // Noise, not silence: every frame is speech-like, so each call keeps its slot a while.
            let clip = silentWAV(seconds: 9.5, noise: true)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        do {
                            _ = try await service.basic_stt(.with { $0.speech = clip })
                            return "ok"
                        } catch let error as RPCError where error.code == .resourceExhausted {
                            return error.message
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let refused = outcomes.filter { $0 != "ok" }
            #expect(!refused.isEmpty, "12 simultaneous calls with room for 2 must refuse some")
            #expect(outcomes.contains("ok"))
            #expect(refused.allSatisfy { $0.contains("busy") && $0.contains("Retry") }, "\(refused.first ?? "")")
        }
        try await server.stop()
    }
}
