/// Labelled clips for training a `SpeechCommandModel`: a set of words, each with clips of it.
///
/// On disk a dataset is a folder with one subfolder per word, holding PCM 16-bit WAV clips
/// (mono or stereo, 8-48 kHz); the folder name is exactly what the model will answer:
///
///     commands/yes/alice-1.wav
///     commands/yes/bob.wav
///     commands/no/alice-1.wav
///     ...
///
/// ```swift
/// let dataset = try SpeechCommandDataset.load(from: URL(fileURLWithPath: "commands"))
/// print(dataset.words, dataset.clipsPerWord)
/// ```
public struct SpeechCommandDataset: Sendable {
    /// The clips of each word, in file-name order.
    let clipsByWord: [String: [PCMAudio]]
    /// Each clip's file name without `.wav` (same order as `clipsByWord`); training tells
    /// speakers apart by them to hold whole speakers out for its evaluation.
    let namesByWord: [String: [String]]

    /// A dataset from clips already in memory, named `1`, `2`, ... within each word (so the
    /// trainer's evaluation holds out a seeded random share of the clips, not whole speakers).
    /// - Throws: `SpeechCommandDatasetError` when there are fewer than two words, a word has
    ///   no clips, or a clip has no samples or an unusable sample rate.
    public init(clipsByWord: [String: [PCMAudio]]) throws {
        try self.init(
            clipsByWord: clipsByWord,
            namesByWord: clipsByWord.mapValues { clips in clips.indices.map { String($0 + 1) } }
        )
    }

    /// A dataset from named clips already in memory: `namesByWord[word][i]` is the file name
    /// (without `.wav`) of `clipsByWord[word][i]`, e.g. `alice-2`. Names that share a speaker
    /// part across words (`alice-1` in `yes/` and `alice-2` in `no/`) let the trainer hold out
    /// whole speakers when it measures accuracy.
    /// - Throws: `SpeechCommandDatasetError` as `init(clipsByWord:)` does, and when a word's
    ///   names do not match its clips one to one.
    public init(clipsByWord: [String: [PCMAudio]], namesByWord: [String: [String]]) throws {
        var problems: [DatasetProblem] = []
        for (word, clips) in clipsByWord.sorted(by: { $0.key < $1.key }) {
            if word.isEmpty {
                problems.append(DatasetProblem(path: "", reason: "a word is empty; every word needs a name"))
            }
            if clips.isEmpty {
                problems.append(
                    DatasetProblem(path: "\(word)/", reason: "word has no clips; add at least one .wav clip")
                )
            }
            if namesByWord[word]?.count != clips.count {
                problems.append(
                    DatasetProblem(path: "\(word)/", reason: "word has \(clips.count) clips but a different number of names")
                )
            }
            for (index, clip) in clips.enumerated() {
                if let reason = Self.unusableReason(clip) {
                    problems.append(DatasetProblem(path: "\(word)/#\(index + 1)", reason: reason))
                }
            }
        }
        if let problem = Self.wordCountProblem(Array(clipsByWord.keys)) {
            problems.append(problem)
        }
        guard problems.isEmpty else { throw SpeechCommandDatasetError.invalid(problems) }
        self.clipsByWord = clipsByWord
        self.namesByWord = namesByWord
    }

    /// The words, sorted; a trained model answers with exactly these strings.
    public var words: [String] { clipsByWord.keys.sorted() }

    /// How many clips there are in all.
    public var clipCount: Int { clipsByWord.values.reduce(0) { $0 + $1.count } }

    /// How many clips each word has.
    public var clipsPerWord: [String: Int] { clipsByWord.mapValues(\.count) }

    /// Why a decoded clip cannot be trained on, if it cannot.
    static func unusableReason(_ clip: PCMAudio) -> String? {
        if clip.samples.isEmpty { return "clip has no audio samples" }
        if !WAVDecoder.supportedSampleRates.contains(clip.sampleRate) {
            return "unsupported sample rate \(clip.sampleRate) Hz; expected 8000-48000 Hz"
        }
        // Below about 4 LSB of 16-bit audio there is nothing to recognise: a muted or
        // disconnected microphone.
        let peak = clip.samples.reduce(Float(0)) { max($0, abs($1)) }
        if peak < 4 / 32_768 { return "clip contains only silence; record the word again" }
        return nil
    }

    static func wordCountProblem(_ words: [String]) -> DatasetProblem? {
        guard words.count < 2 else { return nil }
        let found = words.isEmpty ? "no word folders" : "only one word folder (\(words[0]))"
        return DatasetProblem(
            path: "",
            reason: "found \(found); a dataset needs at least two word folders, each holding .wav clips of that word"
        )
    }
}
