import Foundation

/// How well a clip's phone posteriors fit each word's dictionary pronunciation: a keyword score
/// from the phonetic model alone, which knows real speakers and not the training voices.
///
/// Per word, the cost of the best alignment of the clip with the pronunciation (each phone at
/// least two frames, optional silence before and after; a frame's cost is -log of its phone's
/// posterior), per frame, minus the same for the clip's best free phone sequence (every frame its
/// most likely phone). The refusal rule uses the closest word's score minus the lowest score of any
/// word: a known word by any voice fits its own pronunciation about as well as any other's, an
/// unknown word fits the closest word's pronunciation worse than the word the templates pick is
/// the best fit (see docs/recognizer.md).
enum KeywordScorer {
    /// Frames each phone lasts at least.
    static let framesPerPhone = 2
    /// Posteriors below this count as it (a cost of at most 13.8 per frame).
    static let floor: Float = 1e-6

    /// One score per word of `pronunciations` (lower fits better; infinity when the clip is too
    /// short for every pronunciation of the word). Clips under 8 frames get zeros: too short to tell.
    static func scores(_ posteriors: FeatureSequence, pronunciations: Pronunciations) -> [Float] {
        let frameCount = posteriors.frameCount
        guard frameCount >= 4 * framesPerPhone else { return [Float](repeating: 0, count: pronunciations.byWord.count) }
        let dimension = posteriors.dimension
        var costs = [Float](repeating: 0, count: posteriors.values.count)
        var freeCost: Float = 0
        for frame in 0..<frameCount {
            var best = Float.infinity
            for phone in 0..<dimension {
                let cost = -log(max(posteriors.values[frame * dimension + phone], floor))
                costs[frame * dimension + phone] = cost
                best = min(best, cost)
            }
            freeCost += best
        }
        freeCost /= Float(frameCount)
        return pronunciations.byWord.map { variants in
            variants.map { alignmentCost(costs, frameCount: frameCount, dimension: dimension, phones: $0) }.min()
                .map { $0 / Float(frameCount) - freeCost } ?? .infinity
        }
    }

    /// Viterbi over a left-to-right chain: leading silence, `framesPerPhone` states per phone (only
    /// a phone's last state repeats), trailing silence.
    static func alignmentCost(_ costs: [Float], frameCount: Int, dimension: Int, phones: [UInt8]) -> Float {
        let states = phones.flatMap { [Int](repeating: Int($0), count: framesPerPhone) }
        let silence = PhoneticModel.silence
        var chain = [Float](repeating: .infinity, count: states.count)
        var next = chain
        var leading = costs[silence]
        chain[0] = costs[states[0]]
        var trailing = Float.infinity
        for frame in 1..<frameCount {
            let row = frame * dimension
            for state in states.indices {
                let entering = state == 0 ? leading : chain[state - 1]
                let staying = (state + 1) % framesPerPhone == 0 ? chain[state] : .infinity
                next[state] = min(entering, staying) + costs[row + states[state]]
            }
            trailing = min(chain[states.count - 1], trailing) + costs[row + silence]
            leading += costs[row + silence]
            swap(&chain, &next)
        }
        return min(chain[states.count - 1], trailing)
    }
}
