/// How well a trained model recognises clips it was not trained on, measured by the trainer
/// on clips it held back: whole speakers when the clip names tell them apart, a seeded random
/// share otherwise. Kept inside the serialized model; `description` is a short readable text.
///
/// ```swift
/// let model = try await SpeechCommandTrainer().train(on: dataset)
/// print(model.report)              // accuracy, per word, confusions, clip counts
/// print(model.report.accuracy)     // e.g. 0.967
/// ```
public struct SpeechCommandReport: Sendable, Hashable {
    /// How the held-out clips were chosen.
    public enum Split: Sendable, Hashable {
        /// Nothing could be held out: some word has a single clip. No accuracy was measured.
        case none
        /// Every clip of these speakers (clip names minus a take counter) was held out.
        case bySpeaker([String])
        /// A seeded random share of each word's clips was held out (names tell no speakers apart).
        case random
    }

    /// One held-out clip and what the evaluated model made of it.
    public struct HeldOutClip: Sendable, Hashable {
        /// The word it says (its folder).
        public var word: String
        /// Its file name without `.wav`.
        public var name: String
        /// What the evaluated model answered.
        public var recognition: Recognition

        /// Right when accepted as its own word; a refused clip of a known word is an error.
        public var isCorrect: Bool { recognition.acceptedWord == word }

        public init(word: String, name: String, recognition: Recognition) {
            self.word = word
            self.name = name
            self.recognition = recognition
        }
    }

    /// How the held-out clips were chosen.
    public var split: Split
    /// The words, sorted, as the model knows them.
    public var words: [String]
    /// Clips the evaluated model was trained on (the dataset minus the held-out clips).
    public var trainingClipCount: Int
    /// The held-out clips with their results, in word then name order.
    public var heldOutClips: [HeldOutClip]
    /// Clips the returned model was trained on: the whole dataset when it was retrained after the
    /// evaluation, else `trainingClipCount`.
    public var finalClipCount: Int

    public init(split: Split, words: [String], trainingClipCount: Int, heldOutClips: [HeldOutClip], finalClipCount: Int) {
        self.split = split
        self.words = words
        self.trainingClipCount = trainingClipCount
        self.heldOutClips = heldOutClips
        self.finalClipCount = finalClipCount
    }

    /// Share of held-out clips accepted as their own word (0 when none were held out).
    public var accuracy: Double { Self.share(heldOutClips.filter(\.isCorrect).count, of: heldOutClips.count) }

    /// Held-out clips of known words that were refused as unknown or silence.
    public var refusedCount: Int { heldOutClips.filter { $0.recognition.refusal != nil }.count }

    /// Per word: held-out clips accepted as that word, and held-out clips of it.
    public var perWord: [(word: String, correct: Int, total: Int)] {
        words.map { word in
            let clips = heldOutClips.filter { $0.word == word }
            return (word, clips.filter(\.isCorrect).count, clips.count)
        }
    }

    /// Pairs (said, heard as closest word) where they differ, most frequent first, then by name.
    public var confusions: [(said: String, heard: String, count: Int)] {
        let pairs = heldOutClips.filter { $0.recognition.word != $0.word }.map { "\($0.word)\u{0}\($0.recognition.word)" }
        return Dictionary(grouping: pairs, by: { $0 }).map { key, group in
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]), group.count)
        }.sorted { ($1.count, $0.said, $0.heard) < ($0.count, $1.said, $1.heard) }
    }

    static func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
