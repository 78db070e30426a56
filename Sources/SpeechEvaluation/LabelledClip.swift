import Foundation
import SpeechCommands

/// A decoded clip with the word it says and its file name, from a `<word>/<name>.wav` folder.
struct LabelledClip: Sendable {
    var word: String
    /// The file name without `.wav`, e.g. `en-gb-scotland-f3` or `flite-awb`.
    var name: String
    var audio: PCMAudio

    /// For the shipped dataset's `<accent>-<variant>` names: everything before the last '-'.
    var accent: String { String(name[..<(name.lastIndex(of: "-") ?? name.endIndex)]) }

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

extension SpeechCommandDataset {
    /// A dataset of labelled clips, keeping their names (speakers are told apart by them).
    init(_ clips: [LabelledClip]) throws {
        let byWord = Dictionary(grouping: clips, by: \.word)
        try self.init(clipsByWord: byWord.mapValues { $0.map(\.audio) }, namesByWord: byWord.mapValues { $0.map(\.name) })
    }
}
