import Foundation

/// Trains a `SpeechCommandModel` from a `SpeechCommandDataset`, and measures it.
///
/// Training holds back about a fifth of the clips (whole speakers when the file names tell them
/// apart), trains on the rest, recognises the held-back clips to calibrate confidences and to
/// write the model's `report`, then by default retrains on every clip with that calibration. Each training pass extracts features of every clip and of three
/// altered copies (noise, two vocal-tract lengths), fits a Gaussian mixture to their frames (the
/// posteriorgram DTW compares) and keeps a few prototypes per word, with their phone posteriors
/// under the shipped acoustic model for the phonetic score.
///
/// ```swift
/// let model = try await SpeechCommandTrainer().train(on: dataset) { fraction in
///     print("training: \(Int(fraction * 100))%")
/// }
/// print(model.report)
/// ```
public struct SpeechCommandTrainer: Sendable {
    /// Tuning knobs; `defaults` are what the figures in docs/recognizer.md were measured with.
    public struct Configuration: Sendable, Hashable {
        /// How many closest prototypes of each word are averaged into its score.
        public var neighbours: Int
        /// How far, as a fraction of the longer clip, an alignment may stray from a steady pace;
        /// nil: 0.2 with the posteriorgram distance, 0.15 without (the MFCC distance alone lost
        /// 1-4 points on every group with 0.2, the posteriorgram distance gained 1-2 points on other engines).
        public var warpingBand: Double?
        /// Also train on a copy of every clip with white noise at this signal-to-noise ratio
        /// (dB), so clean training clips still match speech recorded with background noise.
        public var noisyCopiesSignalToNoise: Double?
        /// Also train on copies of every clip with the mel filters scaled by these factors
        /// (vocal-tract length perturbation), so new speakers' formants still match.
        public var vocalTractFactors: [Double]
        /// The most prototypes kept per word: bounds recognition cost whatever the dataset size.
        public var prototypesPerWord: Int
        /// Share of clips held out for the evaluation and calibration (0 skips both).
        public var heldOutFraction: Double
        /// Retrain on every clip after the evaluation (the report then describes a model trained
        /// on fewer clips than the one returned, and says so).
        public var retrainsOnAllClips: Bool
        /// Seeds the random held-out split and the noise, so training is reproducible.
        public var seed: UInt64
        /// Components of the Gaussian mixture over training frames whose posteriors
        /// ("posteriorgram") DTW also compares, besides the cepstra; 0 compares cepstra only
        /// (2-3x faster recognition, fewer right answers on unseen voices and engines).
        public var posteriorgramComponents: Int
        /// Weight of the phonetic score added to each word's score: the same k-NN over DTW, on phone
        /// posteriors from the acoustic model shipped with the package (trained on real speakers,
        /// see docs/recognizer.md). 0 leaves it out: recognition about 1.2x faster (p50 15.2
        /// against 17.8 ms at 5000 clips) and 2 points fewer right answers on other speech engines
        /// (1 measured best of 0.5-4).
        public var phoneticWeight: Double

        /// Creates a configuration.
        public init(
            neighbours: Int = 5,
            warpingBand: Double? = nil,
            noisyCopiesSignalToNoise: Double? = 20,
            vocalTractFactors: [Double] = [0.88, 1.12],
            prototypesPerWord: Int = 64,
            heldOutFraction: Double = 0.2,
            retrainsOnAllClips: Bool = true,
            seed: UInt64 = 1,
            posteriorgramComponents: Int = 128,
            phoneticWeight: Double = 1
        ) {
            self.neighbours = neighbours
            self.warpingBand = warpingBand
            self.noisyCopiesSignalToNoise = noisyCopiesSignalToNoise
            self.vocalTractFactors = vocalTractFactors
            self.prototypesPerWord = prototypesPerWord
            self.heldOutFraction = heldOutFraction
            self.retrainsOnAllClips = retrainsOnAllClips
            self.seed = seed
            self.posteriorgramComponents = posteriorgramComponents
            self.phoneticWeight = phoneticWeight
        }

        /// 5 neighbours, a 20% band (15% without the posteriorgram), noisy copies at 20 dB, vocal tracts x0.88 and x1.12,
        /// 64 prototypes per word, a fifth held out, retrained on all clips, a 128-component posteriorgram,
        /// the phonetic score at weight 1.
        public static var defaults: Configuration { Configuration() }
    }

    /// The settings used by `train(on:progress:)`.
    public var configuration: Configuration
    /// How clips become features; package-wide so the evaluation can vary it.
    package var featureOptions = FeatureOptions.defaults
    /// With `refusalRule` `.closestScore`, the refusal threshold is `refusalMargin` times this
    /// quantile of held-out closest scores: 1.4 with the posteriorgram distance, 1.2 without (nil:
    /// by the distance used).
    package var refusalQuantile = 0.98
    package var refusalMargin: Float? = nil
    /// Unknown words are refused by the closest word's score over the mean score of all words,
    /// above `relativeRefusalThreshold`: a voice unlike the training voices moves every word away
    /// (so the closest score alone refused most known words of other engines, and its calibrated
    /// threshold refused 20-97% of unknown words depending on the training set), while an unknown
    /// word is about as far from its closest word as from the others. 0.84 refused 76-88% of the
    /// development sets' unknown words with every training set (docs/recognizer.md).
    /// `.closestScore` refuses by `refusalMargin` times the `refusalQuantile` of held-out closest scores.
    package var refusalRule = RefusalRule.relativeScore
    package var relativeRefusalThreshold: Float = 0.84

    /// The posteriorgram distance: EM steps of the frame mixture, the most frames it is fitted on
    /// (evenly spread, which bounds its cost), the posterior floor, and the weights of the two
    /// frame distances (cepstra: Euclidean; posteriors: -log dot product).
    package var posteriorIterations = 4
    package var posteriorFrames = 40_000
    package var posteriorFloor: Float = 1e-4
    package var posteriorWeight: Float = 1
    package var cepstralWeight: Float = 1
    /// Added to `configuration.seed` for the mixture only, so the evaluation can measure how much
    /// the figures depend on the mixture's random initialisation (`--set gmmseed=`).
    package var posteriorSeedOffset: UInt64 = 0

    /// A trainer with the given settings (`defaults` when omitted).
    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    /// Trains a model on `dataset`, evaluating it on held-out clips first (see the type's notes).
    ///
    /// Checks for cancellation after every clip and throws `CancellationError` when the task
    /// is cancelled; `progress` is called with increasing fractions from 0 to 1.
    public func train(
        on dataset: SpeechCommandDataset,
        progress: @Sendable (Double) -> Void = { _ in }
    ) async throws -> SpeechCommandModel {
        try Task.checkCancellation()
        progress(0)
        let words = dataset.words
        let clips = words.enumerated().flatMap { wordIndex, word in
            zip(dataset.clipsByWord[word] ?? [], dataset.namesByWord[word] ?? []).enumerated().map {
                Clip(wordIndex: wordIndex, indexInWord: $0.offset, name: $0.element.1, audio: $0.element.0)
            }
        }
        let split =
            configuration.heldOutFraction > 0
            ? HeldOutSplit(namesByWord: dataset.namesByWord, fraction: configuration.heldOutFraction, seed: configuration.seed)
            : HeldOutSplit(namesByWord: [:], fraction: 0, seed: 0)
        let isHeldOut = { (clip: Clip) in split.heldOut[words[clip.wordIndex]]?.contains(clip.indexInWord) ?? false }
        let extractor = FeatureExtractor(options: featureOptions)
        guard !split.isEmpty else {
            let matcher = try await fit(clips, wordCount: words.count) { progress(0.95 * $0) }
            let calibration = Calibration(uncalibratedScale: try await typicalScore(matcher, clips, extractor))
            progress(1)
            let report = SpeechCommandReport(
                split: .none, words: words, trainingClipCount: clips.count, heldOutClips: [], finalClipCount: clips.count
            )
            return SpeechCommandModel(words: words, extractor: extractor, matcher: matcher, calibration: calibration, report: report)
        }
        let training = clips.filter { !isHeldOut($0) }
        let heldOut = clips.filter(isHeldOut)
        let retrains = configuration.retrainsOnAllClips
        let stage = retrains ? 0.45 : 0.9
        var matcher = try await fit(training, wordCount: words.count) { progress(stage * $0) }
        var samples: [(scores: [Float], wordIndex: Int, hasSpeech: Bool)] = []
        for (index, clip) in heldOut.enumerated() {
            try await checkpoint()
            let prepared = extractor.prepared(clip.audio)
            let scores = matcher.wordScores(forPrepared: prepared, extractor: extractor)
            samples.append((scores, clip.wordIndex, SpeechDetector.containsSpeech(prepared)))
            progress(stage + 0.1 * Double(index + 1) / Double(heldOut.count))
        }
        let calibration = Calibration(
            heldOut: samples.map { ($0.scores, $0.wordIndex) },
            quantile: refusalQuantile,
            margin: refusalMargin ?? (configuration.posteriorgramComponents > 0 ? 1.4 : 1.2),
            rule: refusalRule,
            relativeThreshold: relativeRefusalThreshold
        )
        let results = zip(heldOut, samples).map { clip, sample in
            SpeechCommandReport.HeldOutClip(
                word: words[clip.wordIndex],
                name: clip.name,
                recognition: SpeechCommandModel.recognition(
                    scores: sample.scores, hasSpeech: sample.hasSpeech, words: words, calibration: calibration
                )
            )
        }
        if retrains {
            matcher = try await fit(clips, wordCount: words.count) { progress(stage + 0.1 + (0.9 - stage) * $0) }
        }
        let report = SpeechCommandReport(
            split: split.method.reported,
            words: words,
            trainingClipCount: training.count,
            heldOutClips: results,
            finalClipCount: retrains ? clips.count : training.count
        )
        progress(1)
        return SpeechCommandModel(words: words, extractor: extractor, matcher: matcher, calibration: calibration, report: report)
    }

    /// Training is CPU-bound; yielding between clips lets other tasks on the shared
    /// cooperative pool run, and cancellation is honoured promptly.
    func checkpoint() async throws {
        try Task.checkCancellation()
        await Task.yield()
    }
}

extension HeldOutSplit.Method {
    var reported: SpeechCommandReport.Split {
        switch self {
        case .none: .none
        case .bySpeaker(let speakers): .bySpeaker(speakers)
        case .random: .random
        }
    }
}
