import Foundation

/// Trains a `SpeechCommandModel` from a `SpeechCommandDataset`.
///
/// Training extracts features from every clip (they become the model's templates) and then
/// calibrates confidences by recognising a sample of training clips with that clip left out.
/// It takes under half a second for the 240-clip default dataset.
///
/// ```swift
/// let model = try await SpeechCommandTrainer().train(on: dataset) { fraction in
///     print("training: \(Int(fraction * 100))%")
/// }
/// ```
public struct SpeechCommandTrainer: Sendable {
    /// Tuning knobs; `defaults` are what the accuracy figures in `SpeechCommandModel` were measured with.
    public struct Configuration: Sendable, Hashable {
        /// How many closest templates of each word are averaged into its score. 3 tolerates an
        /// odd clip or two per word; a word with fewer clips uses all it has.
        public var neighbours: Int
        /// How far, as a fraction of the longer clip, an alignment may stray from a steady pace.
        public var warpingBand: Double
        /// How many training clips are recognised (each left out in turn) to calibrate
        /// confidence; more is steadier and slower.
        public var calibrationClips: Int

        /// Also train on a copy of every clip with white noise at this signal-to-noise ratio
        /// (dB), so clean training clips still match speech recorded with background noise; nil
        /// trains on the clips as they are (half the templates, twice as fast to recognise).
        public var noisyCopiesSignalToNoise: Double?

        /// Creates a configuration.
        public init(
            neighbours: Int = 3,
            warpingBand: Double = 0.15,
            calibrationClips: Int = 60,
            noisyCopiesSignalToNoise: Double? = 20
        ) {
            self.neighbours = neighbours
            self.warpingBand = warpingBand
            self.calibrationClips = calibrationClips
            self.noisyCopiesSignalToNoise = noisyCopiesSignalToNoise
        }

        /// 3 neighbours, a 15% warping band, 60 calibration clips, noisy copies at 20 dB SNR.
        public static var defaults: Configuration { Configuration() }
    }

    /// The settings used by `train(on:progress:)`.
    public var configuration: Configuration
    /// How clips become features; internal so experiments can vary it without widening the API.
    var featureOptions = FeatureOptions.defaults

    /// A trainer with the given settings (`defaults` when omitted).
    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    /// Trains a model on every clip of `dataset`.
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
        let extractor = FeatureExtractor(options: featureOptions)
        let clips = words.enumerated().flatMap { wordIndex, word in
            (dataset.clipsByWord[word] ?? []).map { (wordIndex: wordIndex, audio: $0) }
        }
        // Clean templates first, then the noisy copies in the same order (clip i's copy is at
        // i + clips.count); copies are made one at a time so the noisy audio is never all in memory.
        var noisePasses: [NoiseMixer?] = [nil]
        if let signalToNoise = configuration.noisyCopiesSignalToNoise {
            noisePasses.append(NoiseMixer(signalToNoiseDecibels: Float(signalToNoise)))
        }
        let templateCount = clips.count * noisePasses.count
        var templates: [TemplateMatcher.Template] = []
        for noise in noisePasses {
            for (index, clip) in clips.enumerated() {
                try await checkpoint()
                let audio = noise?.mixed(clip.audio, seed: UInt64(index)) ?? clip.audio
                let features = extractor.features(of: audio).roundedToHalfPrecision()
                templates.append(.init(wordIndex: clip.wordIndex, features: features))
                progress(0.5 * Double(templates.count) / Double(templateCount))
            }
        }
        let matcher = TemplateMatcher(
            templates: templates,
            wordCount: words.count,
            neighbours: max(1, configuration.neighbours),
            bandFraction: Float(min(1, max(0, configuration.warpingBand)))
        )
        let temperature = try await calibratedTemperature(for: matcher, clipCount: clips.count) {
            progress(0.5 + 0.5 * $0)
        }
        progress(1)
        return SpeechCommandModel(words: words, extractor: extractor, matcher: matcher, temperature: temperature)
    }

    /// The softmax temperature that makes confidences honest: the one that maximises the
    /// likelihood of the right word over leave-one-out recognitions of training clips.
    private func calibratedTemperature(
        for matcher: TemplateMatcher,
        clipCount: Int,
        progress: (Double) -> Void
    ) async throws -> Float {
        let count = min(max(1, configuration.calibrationClips), clipCount)
        var samples: [(scores: [Float], wordIndex: Int)] = []
        for step in 0..<count {
            try await checkpoint()
            let index = step * clipCount / count  // spread evenly over every word
            let template = matcher.templates[index]
            // Leave out the clip and its noisy copy, which would otherwise be a near-perfect match.
            let excluded: Set<Int> = [index, index + clipCount]
            samples.append((matcher.wordScores(for: template.features, excluding: excluded), template.wordIndex))
            progress(Double(step + 1) / Double(count))
        }
        // Distances have no natural unit, so the candidates scale with the typical best score.
        let bestScores = samples.compactMap { $0.scores.min() }.filter(\.isFinite).sorted()
        let scale = bestScores.isEmpty ? 1 : max(bestScores[bestScores.count / 2], 1e-3)
        let candidates = (-12...4).map { scale * Float(pow(2, Double($0) / 2)) }
        func logLikelihood(_ temperature: Float) -> Double {
            samples.reduce(0) { total, sample in
                let probabilities = SpeechCommandModel.probabilities(scores: sample.scores, temperature: temperature)
                return total + log(max(probabilities[sample.wordIndex], 1e-6))
            }
        }
        return candidates.max { logLikelihood($0) < logLikelihood($1) } ?? scale
    }

    /// Training is CPU-bound; yielding between clips lets other tasks on the shared
    /// cooperative pool run, and cancellation is honoured promptly.
    private func checkpoint() async throws {
        try Task.checkCancellation()
        await Task.yield()
    }
}
