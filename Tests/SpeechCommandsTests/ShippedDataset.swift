import Foundation
import SpeechCommands

/// The dataset stt-service ships (scripts/generate-default-dataset.sh): 10 words spoken by 24
/// espeak-ng speakers, each clip named `<voice>-<variant>.wav`.
enum ShippedDataset {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SpeechCommandsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Sources/stt-service/DefaultDataset")

    struct Clip: Sendable {
        var word: String
        /// The espeak-ng voice (accent), e.g. `en-gb-scotland`: the file name before its last '-'.
        var voice: String
        /// The file name without `.wav`, e.g. `en-gb-scotland-f3`: one speaker, in every word folder.
        var name: String
        var audio: PCMAudio
    }

    /// Every clip, decoded directly (not through `SpeechCommandDataset`) so tests can split
    /// them by voice.
    static func clips() throws -> [Clip] {
        let files = FileManager.default
        var clips: [Clip] = []
        for word in try files.contentsOfDirectory(atPath: root.path).sorted() where !word.hasPrefix(".") {
            let folder = root.appendingPathComponent(word)
            for name in try files.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".wav") {
                let stem = name.dropLast(".wav".count)
                let voice = stem[..<(stem.lastIndex(of: "-") ?? stem.endIndex)]
                let audio = try WAVDecoder.decode(try Data(contentsOf: folder.appendingPathComponent(name)))
                clips.append(Clip(word: word, voice: String(voice), name: String(stem), audio: audio))
            }
        }
        return clips
    }

    /// One clip, by word and file stem (`<voice>-<variant>`).
    static func clip(word: String, speaker: String) throws -> PCMAudio {
        let url = root.appendingPathComponent(word).appendingPathComponent("\(speaker).wav")
        return try WAVDecoder.decode(try Data(contentsOf: url))
    }

    /// A dataset of the given clips, grouped by word, named as on disk (so training holds out
    /// whole speakers for its report).
    static func dataset(of clips: [Clip]) throws -> SpeechCommandDataset {
        let byWord = Dictionary(grouping: clips, by: \.word)
        return try SpeechCommandDataset(
            clipsByWord: byWord.mapValues { $0.map(\.audio) },
            namesByWord: byWord.mapValues { $0.map(\.name) }
        )
    }

    /// Voices held out of training in the generalisation tests: two accents, whose six
    /// speakers (variants) also appear nowhere else in the dataset.
    static let heldOutVoices: Set<String> = ["en-029", "en-gb-scotland"]

    /// A model trained on every voice except `heldOutVoices`, trained once and shared.
    static func modelWithoutHeldOutVoices() async throws -> SpeechCommandModel {
        try await trainedWithoutHeldOut.value
    }

    private static let trainedWithoutHeldOut = Task {
        let training = try clips().filter { !heldOutVoices.contains($0.voice) }
        return try await SpeechCommandTrainer().train(on: dataset(of: training))
    }
}
