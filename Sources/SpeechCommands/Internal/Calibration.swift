import Foundation

/// The statistic a clip's word scores are refused by.
package enum RefusalRule: UInt8, Sendable, Hashable {
    /// The closest word's score: a distance, larger for every voice unlike the training voices.
    case closestScore = 0
    /// The closest word's score over the mean score of all words: a voice unlike the training
    /// voices moves every word away, an unknown word moves the closest one closer to the rest.
    case relativeScore = 1
}

/// Turns word scores (DTW distances, lower is closer) into honest confidences, fitted on clips
/// held out of training, and says which clips are refused as unknown words.
struct Calibration: Sendable, Hashable {
    /// Softmax temperature, in units of DTW distance.
    var temperature: Float
    /// A clip whose refusal statistic (see `rule`) is above this is refused as an unknown word.
    var refusalThreshold: Float
    /// What is compared with the threshold.
    var rule: RefusalRule = .closestScore

    /// The refusal statistic of a clip's word scores under `rule`.
    static func statistic(_ scores: [Float], rule: RefusalRule) -> Float {
        let finite = scores.filter(\.isFinite)
        guard let best = finite.min() else { return .infinity }
        switch rule {
        case .closestScore: return best
        case .relativeScore:
            let mean = finite.reduce(0, +) / Float(finite.count)
            return finite.count < 2 || mean <= 0 ? 1 : best / mean
        }
    }

    func refuses(_ scores: [Float]) -> Bool { Self.statistic(scores, rule: rule) > refusalThreshold }

    /// Fits on held-out clips: the temperature that maximises the likelihood of the right word,
    /// and the threshold `margin` times the `quantile` of the closest-word scores of the clips
    /// recognised correctly (so about 1 - quantile of known words by new speakers are refused).
    /// With `rule` `.relativeScore` the threshold is `relativeThreshold`, not fitted: the
    /// relative score has no unit and its spread differs little between training sets.
    init(
        heldOut samples: [(scores: [Float], wordIndex: Int)], quantile: Double, margin: Float,
        rule: RefusalRule = .closestScore, relativeThreshold: Float = 0.84
    ) {
        self.rule = rule
        let bestScores = samples.compactMap { $0.scores.min() }.filter(\.isFinite).sorted()
        // Distances have no natural unit, so the candidates scale with the typical best score.
        let scale = bestScores.isEmpty ? 1 : max(bestScores[bestScores.count / 2], 1e-3)
        let candidates = (-12...4).map { scale * Float(pow(2, Double($0) / 2)) }
        func logLikelihood(_ temperature: Float) -> Double {
            samples.reduce(0) { total, sample in
                let probabilities = SpeechCommandModel.probabilities(scores: sample.scores, temperature: temperature)
                return total + log(max(probabilities[sample.wordIndex], 1e-6))
            }
        }
        temperature = candidates.max { logLikelihood($0) < logLikelihood($1) } ?? scale
        let correct = samples.compactMap { sample -> Float? in
            guard let best = sample.scores.indices.min(by: { sample.scores[$0] < sample.scores[$1] }),
                best == sample.wordIndex, sample.scores[best].isFinite
            else { return nil }
            return Self.statistic(sample.scores, rule: rule)
        }.sorted()
        if rule == .relativeScore {
            refusalThreshold = relativeThreshold
        } else if correct.isEmpty {
            refusalThreshold = .infinity  // nothing was recognised: no basis to refuse anything
        } else {
            let rank = min(correct.count - 1, Int((quantile * Double(correct.count)).rounded(.up)) - 1)
            refusalThreshold = correct[max(0, rank)] * margin
        }
    }

    /// Without held-out clips: confidences from the training clips' own scale, and no refusal of
    /// unknown words (silence is still refused).
    init(uncalibratedScale scale: Float) {
        temperature = max(scale, 1e-3) / 4
        refusalThreshold = .infinity
    }

    init(temperature: Float, refusalThreshold: Float, rule: RefusalRule = .closestScore) {
        self.temperature = temperature
        self.refusalThreshold = refusalThreshold
        self.rule = rule
    }
}
