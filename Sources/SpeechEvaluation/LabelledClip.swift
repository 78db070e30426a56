import Foundation
import SpeechCommands

/// A decoded clip with the word it says and its file name, from a `<word>/<name>.wav` folder.
struct LabelledClip: Sendable {
    var word: String
    /// The file name without `.wav`: a speaker name in training sets (`en-gb-m1-s150`); in
    /// development and test sets how the clip was made, `<engine>_<voice>_<variant>_t<tempo%>_p<cents>`.
    var name: String
    var audio: PCMAudio

    /// What the name of a development or test clip says; nil for other names.
    var origin: Origin? { Origin(name) }

    /// Every clip under `folder` (sorted by word, then name); an absent folder has none.
    static func load(_ folder: URL) throws -> [LabelledClip] {
        let files = FileManager.default
        guard let words = try? files.contentsOfDirectory(atPath: folder.path) else { return [] }
        var clips: [LabelledClip] = []
        for word in words.sorted() where !word.hasPrefix(".") {
            let wordFolder = folder.appendingPathComponent(word)
            guard let names = try? files.contentsOfDirectory(atPath: wordFolder.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".wav") {
                let audio = try WAVDecoder.decode(try Data(contentsOf: wordFolder.appendingPathComponent(name)))
                clips.append(LabelledClip(word: word, name: String(name.dropLast(4)), audio: audio))
            }
        }
        return clips
    }

    /// The same clip as exactly one second of audio at its own rate: zero-padded evenly around
    /// the word, or cut to its middle second, so inference cost is quoted per one-second clip.
    var oneSecond: PCMAudio {
        let target = audio.sampleRate
        let samples = audio.samples
        if samples.count >= target {
            let start = (samples.count - target) / 2
            return PCMAudio(samples: Array(samples[start..<start + target]), sampleRate: target)
        }
        let before = (target - samples.count) / 2
        let padded =
            [Float](repeating: 0, count: before) + samples
            + [Float](repeating: 0, count: target - samples.count - before)
        return PCMAudio(samples: padded, sampleRate: target)
    }
}

/// How a development or test clip was made, parsed from its name (see scripts/evaluate-recognizer.sh).
struct Origin: Sendable, Hashable {
    /// espeak, flite or festival.
    var engine: String
    /// The engine's voice (for espeak-ng its accent, e.g. `en-029`).
    var voice: String
    /// Tempo in percent (80...125) and pitch shift in cents (-300...300).
    var tempo: Int
    var cents: Int

    init?(_ name: String) {
        let fields = name.split(separator: "_").map(String.init)
        guard fields.count == 5, fields[3].hasPrefix("t"), fields[4].hasPrefix("p"),
            let tempo = Int(fields[3].dropFirst()), let cents = Int(fields[4].dropFirst())
        else { return nil }
        (engine, voice, self.tempo, self.cents) = (fields[0], fields[1], tempo, cents)
    }
}

extension SpeechCommandDataset {
    /// A dataset of labelled clips, keeping their names (speakers are told apart by them).
    init(_ clips: [LabelledClip]) throws {
        let byWord = Dictionary(grouping: clips, by: \.word)
        try self.init(clipsByWord: byWord.mapValues { $0.map(\.audio) }, namesByWord: byWord.mapValues { $0.map(\.name) })
    }
}
