import Foundation

/// Trains a `SpeechCommandModel` from a `SpeechCommandDataset`, and measures it.
///
/// Training holds back about a fifth of the clips (whole speakers when the file names tell them
/// apart), trains on the rest, recognises the held-back clips to calibrate confidences and the
/// unknown-word threshold and to write the model's `report`, then by default retrains on every
/// clip with that calibration. Each training pass extracts features of every clip and of three
/// altered copies (noise, two vocal-tract lengths) and keeps a few prototypes per word.
///
/// ```swift
/// let model = try await SpeechCommandTrainer().train(on: dataset) { fraction in
///     print("training: \(Int(fraction * 100))%")
/// }
/// print(model.report)
/// ```
public struct SpeechCommandTrainer: Sendable {
    /// Tuning knobs; `defaults` are what the figures in README's "The recognizer" section were measured with.
    public struct Configuration: Sendable, Hashable {
        /// How many closest prototypes of each word are averaged into its score.
        public var neighbours: Int
        /// How far, as a fraction of the longer clip, an alignment may stray from a steady pace.
        public var warpingBand: Double
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

        /// Creates a configuration.
        public init(
            neighbours: Int = 5,
            warpingBand: Double = 0.15,
            noisyCopiesSignalToNoise: Double? = 20,
            vocalTractFactors: [Double] = [0.88, 1.12],
            prototypesPerWord: Int = 64,
            heldOutFraction: Double = 0.2,
            retrainsOnAllClips: Bool = true,
            seed: UInt64 = 1
        ) {
            self.neighbours = neighbours
            self.warpingBand = warpingBand
            self.noisyCopiesSignalToNoise = noisyCopiesSignalToNoise
            self.vocalTractFactors = vocalTractFactors
            self.prototypesPerWord = prototypesPerWord
            self.heldOutFraction = heldOutFraction
            self.retrainsOnAllClips = retrainsOnAllClips
            self.seed = seed
        }

        /// 5 neighbours, a 15% band, noisy copies at 20 dB, vocal tracts x0.88 and x1.12,
        /// 64 prototypes per word, a fifth held out, retrained on all clips.
        public static var defaults: Configuration { Configuration() }
    }

    /// The settings used by `train(on:progress:)`.
    public var configuration: Configuration
    /// How clips become features; package-wide so the evaluation can vary it.
    package var featureOptions = FeatureOptions.defaults
    /// The refusal threshold is `refusalMargin` times this quantile of held-out closest scores.
    package var refusalQuantile = 0.98
    package var refusalMargin: Float = 1.2
    /// How the neural classifier is trained.
    package var classifierOptions = NeuralClassifier.Options.defaults
    /// Weight of the classifier's log-probabilities against the template matcher's (0: no classifier).
    package var classifierWeight: Float = 0
    /// Also train on copies band-limited to these sample rates (as if recorded at them).
    package var bandLimitedCopyRates: [Int] = []
    /// Also train on copies played at these speeds (tempo, pitch and formants move together).
    package var speedFactors: [Double] = []
    /// Recognition also compares each clip under these vocal-tract warps, keeping the closest.
    package var queryWarpFactors: [Float] = []

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
        let queryWarps = SpeechCommandModel.warpedExtractors(featureOptions, factors: queryWarpFactors)
        guard !split.isEmpty else {
            let (matcher, classifier, convolution) = try await fit(clips, wordCount: words.count) { progress(0.95 * $0) }
            var calibration = Calibration(uncalibratedScale: try await typicalScore(matcher, clips, extractor))
            calibration.classifierWeight = classifier == nil && convolution == nil ? 0 : classifierWeight
            progress(1)
            let report = SpeechCommandReport(
                split: .none, words: words, trainingClipCount: clips.count, heldOutClips: [], finalClipCount: clips.count
            )
            return SpeechCommandModel(
                words: words, extractor: extractor, matcher: matcher, classifier: classifier, calibration: calibration,
                queryWarpFactors: queryWarpFactors, report: report, convolution: convolution
            )
        }
        let training = clips.filter { !isHeldOut($0) }
        let heldOut = clips.filter(isHeldOut)
        let retrains = configuration.retrainsOnAllClips
        let stage = retrains ? 0.45 : 0.9
        var (matcher, classifier, convolution) = try await fit(training, wordCount: words.count) { progress(stage * $0) }
        var samples: [(scores: [Float], network: [Double]?, wordIndex: Int, hasSpeech: Bool)] = []
        for (index, clip) in heldOut.enumerated() {
            try await checkpoint()
            let prepared = extractor.prepared(clip.audio)
            let features = extractor.features(ofPrepared: prepared)
            let scores = matcher.wordScores(for: [features] + queryWarps.map { $0.features(ofPrepared: prepared) })
            samples.append(
                (
                    scores, convolution?.probabilities(for: features) ?? classifier?.probabilities(for: features), clip.wordIndex,
                    SpeechDetector.containsSpeech(prepared)
                ))
            progress(stage + 0.1 * Double(index + 1) / Double(heldOut.count))
        }
        var calibration = Calibration(
            heldOut: samples.map { ($0.scores, $0.wordIndex) },
            quantile: refusalQuantile,
            margin: refusalMargin
        )
        calibration.classifierWeight = classifier == nil && convolution == nil ? 0 : classifierWeight
        let results = zip(heldOut, samples).map { clip, sample in
            SpeechCommandReport.HeldOutClip(
                word: words[clip.wordIndex],
                name: clip.name,
                recognition: SpeechCommandModel.recognition(
                    scores: sample.scores, network: sample.network, hasSpeech: sample.hasSpeech, words: words,
                    calibration: calibration
                )
            )
        }
        if retrains {
            (matcher, classifier, convolution) = try await fit(clips, wordCount: words.count) { progress(stage + 0.1 + (0.9 - stage) * $0) }
        }
        let report = SpeechCommandReport(
            split: split.method.reported,
            words: words,
            trainingClipCount: training.count,
            heldOutClips: results,
            finalClipCount: retrains ? clips.count : training.count
        )
        progress(1)
        return SpeechCommandModel(
            words: words, extractor: extractor, matcher: matcher, classifier: classifier, calibration: calibration,
            queryWarpFactors: queryWarpFactors, report: report, convolution: convolution
        )
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
