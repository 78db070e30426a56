public import Foundation

/// A trained isolated-word recognizer: give it a short clip of one word, get back the word,
/// or a refusal when the clip is silence or a word it was not trained on.
///
/// How it works: each clip becomes 13 MFCCs plus deltas per 10 ms (mel bands 60 Hz-4.5 kHz,
/// floored 50 dB below the clip's loudest, per-clip mean removed, leading and trailing silence
/// trimmed). Training adds, for every clip, a copy with 20 dB of white noise and two copies with
/// the mel filters scaled by 0.88 and 1.12 (vocal-tract length perturbation: shorter and longer
/// vocal tracts), fits a 128-component Gaussian mixture to their frames, then keeps at most 64
/// prototypes per word (k-medoids under DTW). A clip is compared by dynamic time warping (20% band)
/// with those prototypes, two frames by the Euclidean distance of their MFCCs plus -log of the dot
/// product of their posteriors under the mixture (a posteriorgram); each word scores the mean
/// distance to its 5 nearest, a softmax with a calibrated temperature turns scores into
/// confidences, and a clip whose closest score is above 0.84 times the mean score of all words
/// is refused as unknown. The temperature is fitted on clips the trainer holds out (see `report`).
///
/// Cost: recognition compares with at most 64 prototypes per word, however many clips were
/// trained on. Figures (accuracy across voices and engines, timings) are in docs/recognizer.md
/// and come from `scripts/evaluate-recognizer.sh`.
///
/// ```swift
/// let dataset = try SpeechCommandDataset.load(from: folder)
/// let model = try await SpeechCommandTrainer().train(on: dataset)
/// print(model.report)
/// let result = try model.recognize(wav: clipBytes)
/// print(result.acceptedWord ?? "(not a known word)", result.confidence)
/// ```
public struct SpeechCommandModel: Sendable {
    /// The words the model can recognise, sorted; `Recognition.word` is always one of them.
    public let words: [String]
    /// The trainer's evaluation of the model on held-out clips.
    public let report: SpeechCommandReport
    let extractor: FeatureExtractor
    let matcher: TemplateMatcher
    let calibration: Calibration

    init(
        words: [String],
        extractor: FeatureExtractor,
        matcher: TemplateMatcher,
        calibration: Calibration,
        report: SpeechCommandReport
    ) {
        self.words = words
        self.extractor = extractor
        self.matcher = matcher
        self.calibration = calibration
        self.report = report
    }

    /// Recognises the single word spoken in `audio` (any supported sample rate).
    public func recognize(_ audio: PCMAudio) -> Recognition {
        let prepared = extractor.prepared(audio)
        let scores = matcher.wordScores(forPrepared: prepared, extractor: extractor)
        return recognition(scores: scores, hasSpeech: SpeechDetector.containsSpeech(prepared))
    }

    /// Decodes a PCM 16-bit WAV file and recognises the word in it.
    /// - Throws: `WAVDecodingError` when the bytes are not a usable WAV clip.
    public func recognize(wav: Data) throws -> Recognition {
        recognize(try WAVDecoder.decode(wav))
    }

    /// The answer for given word scores under this model's calibration.
    func recognition(scores: [Float], hasSpeech: Bool) -> Recognition {
        Self.recognition(scores: scores, hasSpeech: hasSpeech, words: words, calibration: calibration)
    }

    static func recognition(scores: [Float], hasSpeech: Bool, words: [String], calibration: Calibration) -> Recognition {
        let probabilities = probabilities(scores: scores, temperature: calibration.temperature)
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        let refusal: Refusal? =
            !hasSpeech ? .silence : (calibration.refuses(scores) ? .unknownWord : nil)
        return Recognition(word: words[best], confidence: probabilities[best], refusal: refusal)
    }

    /// Softmax over negated word scores; shifted by the best score so it never overflows, and
    /// unreachable words (no template in the band) get probability 0.
    static func probabilities(scores: [Float], temperature: Float) -> [Double] {
        let best = scores.min() ?? 0
        guard best.isFinite else {
            return [Double](repeating: 1 / Double(max(1, scores.count)), count: scores.count)
        }
        let weights = scores.map { score in score.isFinite ? exp(-Double(score - best) / Double(temperature)) : 0 }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}
