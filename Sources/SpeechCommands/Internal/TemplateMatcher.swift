/// k-nearest-neighbour classification over DTW distances to a model's prototypes.
///
/// A word's score is the mean distance to its `neighbours` closest templates: more robust than
/// the single closest one when one odd template happens to resemble the query. With a phonetic
/// model, a second such score compares the clips' phone posteriors and is added, times
/// `phoneticWeight`: the two err on different clips (see `SpeechCommandTrainer.Configuration`).
struct TemplateMatcher: Sendable {
    struct Template: Sendable, Hashable {
        var wordIndex: Int
        var features: FeatureSequence
        /// Phone posteriors of the same frames, when the matcher uses a phonetic model.
        var phonetic: FeatureSequence? = nil
    }

    var templates: [Template]
    var wordCount: Int
    var neighbours: Int
    var bandFraction: Float
    /// When set, queries get their posteriors appended (templates already have them) and frames
    /// are compared with `metric`.
    var posteriorgram: Posteriorgram? = nil
    var metric: DynamicTimeWarping.FrameMetric = .euclidean
    /// When set with a weight above 0, every template has `phonetic` posteriors.
    var phoneticModel: PhoneticModel? = nil
    var phoneticWeight: Float = 0

    /// Phone posteriors are compared by -log(dot product) alone.
    static let phoneticMetric = DynamicTimeWarping.FrameMetric(cepstralDimension: 0, cepstralWeight: 0, posteriorWeight: 1)

    /// The phonetic score is computed for this many words, the closest by the other score: it
    /// decides between near candidates, and skipping the rest halves its cost. The others get the
    /// largest phonetic score computed, so they only move further away.
    static let phoneticCandidates = 3
    /// ... and on those words' 32 templates closest by the other score (of 64): the same answers
    /// on the evaluation sets as all 64 with four of five mixture seeds (16 templates lost a clip
    /// of the other engines with two), for half the phonetic DTW.
    static let phoneticShortlist = 32

    var usesPhonetics: Bool { phoneticModel != nil && phoneticWeight > 0 }

    /// One score per word (lower is closer) for samples `FeatureExtractor.prepared(_:)` returned.
    func wordScores(forPrepared samples: [Float], extractor: FeatureExtractor) -> [Float] {
        let speech = extractor.speech(ofPrepared: samples)
        let phonetic = usesPhonetics ? phonetics(ofSpeech: speech, extractor: extractor) : nil
        return wordScores(for: extractor.features(ofSpeech: speech), phonetic: phonetic)
    }

    /// Phone posteriors of trimmed speech, frame for frame with `extractor`'s features.
    func phonetics(ofSpeech speech: [Float], extractor: FeatureExtractor) -> FeatureSequence? {
        phoneticModel?.posteriors(
            ofSpeech: speech, frameLength: extractor.options.frameLength, hopLength: extractor.options.hopLength
        )
    }

    /// One score per word (lower is closer).
    func wordScores(for features: FeatureSequence, phonetic: FeatureSequence? = nil) -> [Float] {
        let query = posteriorgram?.augmented(features) ?? features
        var completed: [(distance: Float, index: Int)] = []
        var scores = nearestMeans(query, phonetic: false, metric: metric, completed: &completed)
        if usesPhonetics, let phonetic {
            let candidates = Set(scores.indices.sorted { scores[$0] < scores[$1] }.prefix(Self.phoneticCandidates))
            let shortlist = candidates.flatMap { word in
                completed.filter { templates[$0.index].wordIndex == word }.sorted { $0.distance < $1.distance }
                    .prefix(Self.phoneticShortlist).map(\.index)
            }
            var unused: [(distance: Float, index: Int)] = []
            let phoneticScores = nearestMeans(
                phonetic, phonetic: true, metric: Self.phoneticMetric, only: shortlist, completed: &unused
            )
            let largest = candidates.map { phoneticScores[$0] }.filter(\.isFinite).max() ?? 0
            for word in scores.indices {
                scores[word] += phoneticWeight * (candidates.contains(word) ? phoneticScores[word] : largest)
            }
        }
        return scores
    }

    /// Per word, the mean DTW distance from `query` to its `neighbours` closest templates (their
    /// phone posteriors when `phonetic`, else their features).
    func nearestMeans(
        _ query: FeatureSequence, phonetic: Bool, metric: DynamicTimeWarping.FrameMetric,
        only indices: [Int]? = nil, completed: inout [(distance: Float, index: Int)]
    ) -> [Float] {
        var nearest = [[Float]](repeating: [], count: wordCount)  // ascending, at most `neighbours`
        for index in indices ?? Array(templates.indices) {
            let template = templates[index]
            let word = template.wordIndex
            let ceiling = nearest[word].count == neighbours ? nearest[word][neighbours - 1] : .infinity
            let distance = DynamicTimeWarping.distance(
                query,
                phonetic ? template.phonetic! : template.features,
                bandFraction: bandFraction,
                abandonAbove: ceiling,
                metric: metric
            )
            if distance.isFinite { completed.append((distance, index)) }
            guard distance < ceiling else { continue }
            let position = nearest[word].firstIndex { $0 > distance } ?? nearest[word].count
            nearest[word].insert(distance, at: position)
            if nearest[word].count > neighbours { nearest[word].removeLast() }
        }
        return nearest.map { $0.isEmpty ? .infinity : $0.reduce(0, +) / Float($0.count) }
    }
}
