/// What a `SpeechCommandModel` heard.
public struct Recognition: Sendable, Hashable {
    /// The recognised word: exactly one of the model's `words` (a dataset folder name).
    public var word: String
    /// How sure the model is, 0...1: its calibrated probability that `word` is right, given
    /// the words it knows. An unknown word or noise still maps to the closest known word, usually
    /// with lower confidence.
    public var confidence: Double

    /// Creates a result.
    public init(word: String, confidence: Double) {
        self.word = word
        self.confidence = confidence
    }
}
