import Foundation

extension SpeechCommandTrainer {
    /// A clip of the dataset with its word (index into the sorted words) and name.
    struct Clip: Sendable {
        var wordIndex: Int
        var indexInWord: Int
        var name: String
        var audio: PCMAudio
    }

    /// One training pass: features of every clip and its altered copies, the frame mixture of the
    /// posteriorgram distance, then at most `prototypesPerWord` medoids per word. `progress` goes
    /// from 0 to 1.
    func fit(_ clips: [Clip], wordCount: Int, progress: (Double) -> Void) async throws -> TemplateMatcher {
        let extractor = FeatureExtractor(options: featureOptions)
        let warped = configuration.vocalTractFactors.map { factor in
            var options = featureOptions
            options.warpFactor = Float(factor)
            return FeatureExtractor(options: options)
        }
        let noise = configuration.noisyCopiesSignalToNoise.map { NoiseMixer(signalToNoiseDecibels: Float($0)) }
        let band = Float(min(1, max(0, configuration.warpingBand ?? (configuration.posteriorgramComponents > 0 ? 0.2 : 0.15))))
        let count = max(1, configuration.prototypesPerWord)
        let phoneticModel = configuration.phoneticWeight > 0 ? PhoneticModel.shipped : nil
        // Only the sequences prototype selection considers need phone posteriors (the costly part):
        // which they are follows from the number of sequences per word.
        let copiesPerClip = 1 + (noise == nil ? 0 : 1) + warped.count
        let clipsPerWord = clips.reduce(into: [Int](repeating: 0, count: wordCount)) { $0[$1.wordIndex] += 1 }
        let candidatesByWord = clipsPerWord.map {
            Set(PrototypeSelector.candidateIndices(total: $0 * copiesPerClip, count: count))
        }
        var sequencesByWord = [[FeatureSequence]](repeating: [], count: wordCount)
        var phoneticByWord = [[FeatureSequence?]](repeating: [], count: wordCount)
        for (index, clip) in clips.enumerated() {
            try await checkpoint()
            let first = sequencesByWord[clip.wordIndex].count
            let wanted = (first..<first + copiesPerClip).map { candidatesByWord[clip.wordIndex].contains($0) }
            func phonetic(_ speech: [Float], needed: Bool) -> FeatureSequence? {
                guard needed, let phoneticModel else { return nil }
                return phoneticModel.posteriors(
                    ofSpeech: speech, frameLength: featureOptions.frameLength, hopLength: featureOptions.hopLength
                ).roundedToHalfPrecision()
            }
            let prepared = extractor.prepared(clip.audio)
            let speech = extractor.speech(ofPrepared: prepared)
            var copies = [extractor.features(ofSpeech: speech)]
            // Vocal-tract copies keep the original's frames and phones, so they share its posteriors.
            let original = phonetic(speech, needed: wanted[0] || wanted.suffix(warped.count).contains(true))
            var phonetics = [original]
            if let noise {
                let seed = configuration.seed &+ UInt64(clip.wordIndex) << 32 &+ UInt64(clip.indexInWord)
                let noisy = noise.mixed(PCMAudio(samples: prepared, sampleRate: featureOptions.sampleRate), seed: seed)
                let noisySpeech = extractor.speech(ofPrepared: noisy.samples)
                copies.append(extractor.features(ofSpeech: noisySpeech))
                phonetics.append(phonetic(noisySpeech, needed: wanted[1]))
            }
            copies += warped.map { $0.features(ofSpeech: speech) }
            phonetics += warped.map { _ in original }
            sequencesByWord[clip.wordIndex] += copies.map { $0.roundedToHalfPrecision() }
            phoneticByWord[clip.wordIndex] += phonetics
            progress(0.7 * Double(index + 1) / Double(clips.count))
        }
        // The frame mixture is fitted on every sequence; only the sequences prototype selection
        // considers get their posteriors (the others would be computed and thrown away).
        var posteriorgram: Posteriorgram?
        var metric = DynamicTimeWarping.FrameMetric.euclidean
        if configuration.posteriorgramComponents > 0 {
            let mixture = try await Posteriorgram.fit(
                sequencesByWord.flatMap { $0 },
                components: configuration.posteriorgramComponents,
                iterations: posteriorIterations,
                maximumFrames: posteriorFrames,
                floor: posteriorFloor,
                seed: configuration.seed &+ posteriorSeedOffset,
                checkpoint: checkpoint
            )
            for wordIndex in sequencesByWord.indices {
                try await checkpoint()
                let candidates = PrototypeSelector.candidateIndices(total: sequencesByWord[wordIndex].count, count: count)
                sequencesByWord[wordIndex] = candidates.map { mixture.augmented(sequencesByWord[wordIndex][$0]) }
                phoneticByWord[wordIndex] = candidates.map { phoneticByWord[wordIndex][$0] }
            }
            posteriorgram = mixture
            metric = .init(
                cepstralDimension: featureOptions.dimension,
                cepstralWeight: cepstralWeight,
                posteriorWeight: posteriorWeight
            )
        }
        var templates: [TemplateMatcher.Template] = []
        for (wordIndex, sequences) in sequencesByWord.enumerated() {
            let chosen = try await PrototypeSelector.medoids(
                of: sequences,
                count: count,
                bandFraction: band,
                metric: metric,
                checkpoint: checkpoint
            )
            templates += chosen.map {
                TemplateMatcher.Template(wordIndex: wordIndex, features: sequences[$0], phonetic: phoneticByWord[wordIndex][$0])
            }
            progress(0.7 + 0.3 * Double(wordIndex + 1) / Double(wordCount))
        }
        return TemplateMatcher(
            templates: templates,
            wordCount: wordCount,
            neighbours: max(1, configuration.neighbours),
            bandFraction: band,
            posteriorgram: posteriorgram,
            metric: metric,
            phoneticModel: phoneticModel,
            phoneticWeight: Float(configuration.phoneticWeight)
        )
    }

    /// The median closest-word score of (up to 50) training clips: the distance scale used for
    /// confidences when nothing could be held out.
    func typicalScore(_ matcher: TemplateMatcher, _ clips: [Clip], _ extractor: FeatureExtractor) async throws -> Float {
        var scores: [Float] = []
        for index in stride(from: 0, to: clips.count, by: max(1, clips.count / 50)) {
            try await checkpoint()
            if let best = matcher.wordScores(forPrepared: extractor.prepared(clips[index].audio), extractor: extractor).min(), best.isFinite {
                scores.append(best)
            }
        }
        return scores.sorted().dropFirst(scores.count / 2).first ?? 1
    }
}
