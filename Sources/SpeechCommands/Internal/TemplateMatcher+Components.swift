import Foundation

extension TemplateMatcher {
    /// Every word's two scores apart: the template distance, and the phonetic distance on each
    /// word's templates closest by the first (nil without a phonetic model); for the evaluation.
    func componentScores(
        forPrepared samples: [Float], extractor: FeatureExtractor
    ) -> (acoustic: [Float], phonetic: [Float]?, phoneticFloor: Float, posteriors: FeatureSequence?) {
        let speech = extractor.speech(ofPrepared: samples)
        let query = posteriorgram?.augmented(extractor.features(ofSpeech: speech)) ?? extractor.features(ofSpeech: speech)
        var completed: [(distance: Float, index: Int)] = []
        let acoustic = nearestMeans(query, phonetic: false, metric: metric, completed: &completed)
        guard usesPhonetics, let phonetic = phonetics(ofSpeech: speech, extractor: extractor) else { return (acoustic, nil, 0, nil) }
        let shortlist = (0..<wordCount).flatMap { word in
            completed.filter { templates[$0.index].wordIndex == word }.sorted { $0.distance < $1.distance }
                .prefix(Self.phoneticShortlist).map(\.index)
        }
        var unused: [(distance: Float, index: Int)] = []
        var floor: Float = 0
        for frame in 0..<phonetic.frameCount {
            let row = phonetic.values[frame * phonetic.dimension..<(frame + 1) * phonetic.dimension]
            floor += -log(max(row.max() ?? 1, 1e-6))
        }
        floor /= Float(max(1, phonetic.frameCount))
        return (acoustic, nearestMeans(phonetic, phonetic: true, metric: Self.phoneticMetric, only: shortlist, completed: &unused), floor, phonetic)
    }
}
