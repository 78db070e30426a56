/// What a `SpeechCommandModel` heard.
public struct Recognition: Sendable, Hashable {
    /// The closest known word: always one of the model's `words` (a dataset folder name), even
    /// when the clip was refused; use `acceptedWord` for the answer.
    public var word: String
    /// How sure the model is, 0...1: its calibrated probability that `word` is right, given
    /// the words it knows (it does not say whether the clip is a known word at all; `refusal` does).
    public var confidence: Double
    /// Why the clip is not taken as `word`: silence, or a sound hardly closer to `word` than to
    /// the other trained words (the model's refusal threshold); nil when it is accepted.
    public var refusal: Refusal?

    /// The recognised word, or nil when the clip was refused as silence or an unknown word.
    public var acceptedWord: String? { refusal == nil ? word : nil }

    /// Creates a result.
    public init(word: String, confidence: Double, refusal: Refusal? = nil) {
        self.word = word
        self.confidence = confidence
        self.refusal = refusal
    }
}

/// Why a clip was not recognised as one of the model's words.
public struct Refusal: Sendable, Hashable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable { case silence, unknownWord }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// No speech: digital or near silence, or a steady background without a louder sound in it.
    public static let silence = Self(.silence)
    /// A sound about as far from its closest trained word as from the others (the closest word's
    /// score above the model's threshold times the mean of all words' scores): most likely a
    /// word the model does not know.
    public static let unknownWord = Self(.unknownWord)

    public var description: String {
        switch wrapped {
        case .silence: "silence"
        case .unknownWord: "unknown word"
        }
    }
}
