import Foundation

extension SpeechCommandTrainer {
    /// A clip of the dataset with its word (index into the sorted words) and name.
    struct Clip: Sendable {
        var wordIndex: Int
        var indexInWord: Int
        var name: String
        var audio: PCMAudio
    }

    /// One training pass: features of every clip and its altered copies, then at most
    /// `prototypesPerWord` medoids per word. `progress` goes from 0 to 1.
    func fit(_ clips: [Clip], wordCount: Int, progress: (Double) -> Void) async throws -> TemplateMatcher {
        let extractor = FeatureExtractor(options: featureOptions)
        let warped = configuration.vocalTractFactors.map { factor in
            var options = featureOptions
            options.warpFactor = Float(factor)
            return FeatureExtractor(options: options)
        }
        let noise = configuration.noisyCopiesSignalToNoise.map { NoiseMixer(signalToNoiseDecibels: Float($0)) }
        let band = Float(min(1, max(0, configuration.warpingBand)))
        var sequencesByWord = [[FeatureSequence]](repeating: [], count: wordCount)
        for (index, clip) in clips.enumerated() {
            try await checkpoint()
            let prepared = extractor.prepared(clip.audio)
            var copies = [extractor.features(ofPrepared: prepared)]
            if let noise {
                let seed = configuration.seed &+ UInt64(clip.wordIndex) << 32 &+ UInt64(clip.indexInWord)
                let noisy = noise.mixed(PCMAudio(samples: prepared, sampleRate: featureOptions.sampleRate), seed: seed)
                copies.append(extractor.features(ofPrepared: noisy.samples))
            }
            copies += warped.map { $0.features(ofPrepared: prepared) }
            let clean = copies[0]
            let cepstra = featureOptions.cepstrumCount
            for factor in smoothingFactors {
                var smoothed = clean
                for frame in 0..<clean.frameCount {
                    for d in 0..<clean.dimension {
                        let k = d % cepstra
                        smoothed.values[frame * clean.dimension + d] *= pow(Float(factor), Float(k) / Float(cepstra - 1))
                    }
                }
                copies.append(smoothed)
            }
            sequencesByWord[clip.wordIndex] += copies.map { $0.roundedToHalfPrecision() }
            progress(0.7 * Double(index + 1) / Double(clips.count))
        }
        var templates: [TemplateMatcher.Template] = []
        for (wordIndex, sequences) in sequencesByWord.enumerated() {
            let chosen = try await PrototypeSelector.medoids(
                of: sequences,
                count: max(1, configuration.prototypesPerWord),
                bandFraction: band,
                checkpoint: checkpoint
            )
            templates += chosen.map { TemplateMatcher.Template(wordIndex: wordIndex, features: sequences[$0]) }
            progress(0.7 + 0.3 * Double(wordIndex + 1) / Double(wordCount))
        }
        if templateNormalisation > 0 {
            // Each template's typical distance to other words' sequences (its impostors): a
            // template close to everything ("hub") gets its distances scaled up.
            var typical = [Float](repeating: 1, count: templates.count)
            for (index, template) in templates.enumerated() {
                try await checkpoint()
                var distances: [Float] = []
                for (wordIndex, sequences) in sequencesByWord.enumerated() where wordIndex != template.wordIndex {
                    let count = min(sequences.count, impostorsPerWord)
                    for k in 0..<count {
                        let d = DynamicTimeWarping.distance(
                            template.features, sequences[k * sequences.count / count], bandFraction: band)
                        if d.isFinite { distances.append(d) }
                    }
                }
                distances.sort()
                let used = templateNormalisation == 1 ? distances[...] : distances.prefix(impostorNearest)
                if !used.isEmpty { typical[index] = used.reduce(0, +) / Float(used.count) }
            }
            let overall = typical.reduce(0, +) / Float(max(1, typical.count))
            for index in templates.indices { templates[index].scale = overall / max(typical[index], 1e-6) }
        }
        return TemplateMatcher(
            templates: templates,
            wordCount: wordCount,
            neighbours: max(1, configuration.neighbours),
            bandFraction: band
        )
    }

    /// The median closest-word score of (up to 50) training clips: the distance scale used for
    /// confidences when nothing could be held out.
    func typicalScore(_ matcher: TemplateMatcher, _ clips: [Clip], _ extractor: FeatureExtractor) async throws -> Float {
        var scores: [Float] = []
        for index in stride(from: 0, to: clips.count, by: max(1, clips.count / 50)) {
            try await checkpoint()
            if let best = matcher.wordScores(for: extractor.features(of: clips[index].audio)).min(), best.isFinite {
                scores.append(best)
            }
        }
        return scores.sorted().dropFirst(scores.count / 2).first ?? 1
    }
}
