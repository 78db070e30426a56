/// k-nearest-neighbour classification over DTW distances to a model's prototypes.
///
/// A word's score is the mean distance to its `neighbours` closest templates: more robust than
/// the single closest one when one odd template happens to resemble the query.
struct TemplateMatcher: Sendable {
    struct Template: Sendable, Hashable {
        var wordIndex: Int
        var features: FeatureSequence
    }

    var templates: [Template]
    var wordCount: Int
    var neighbours: Int
    var bandFraction: Float
    /// When set, queries get their posteriors appended (templates already have them) and frames
    /// are compared with `metric`.
    var posteriorgram: Posteriorgram? = nil
    var metric: DynamicTimeWarping.FrameMetric = .euclidean

    /// One score per word (lower is closer).
    func wordScores(for features: FeatureSequence) -> [Float] {
        let query = posteriorgram?.augmented(features) ?? features
        var nearest = [[Float]](repeating: [], count: wordCount)  // ascending, at most `neighbours`
        for template in templates {
            let word = template.wordIndex
            let ceiling = nearest[word].count == neighbours ? nearest[word][neighbours - 1] : .infinity
            let distance = DynamicTimeWarping.distance(
                query,
                template.features,
                bandFraction: bandFraction,
                abandonAbove: ceiling,
                metric: metric
            )
            guard distance < ceiling else { continue }
            let position = nearest[word].firstIndex { $0 > distance } ?? nearest[word].count
            nearest[word].insert(distance, at: position)
            if nearest[word].count > neighbours { nearest[word].removeLast() }
        }
        return nearest.map { $0.isEmpty ? .infinity : $0.reduce(0, +) / Float($0.count) }
    }
}
