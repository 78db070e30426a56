/// Dynamic time warping: how far apart two feature sequences are once their timing is aligned,
/// so a slow "stop" still matches a quick one.
enum DynamicTimeWarping {
    /// The average frame distance along the best alignment (symmetric steps, diagonal moves
    /// counted twice, normalised by the two lengths), or `.infinity` as soon as it is certain to
    /// exceed `abandonAbove`; k-NN search passes its current k-th best to skip hopeless templates.
    ///
    /// The path stays within a band of `bandFraction` of the longer length around the diagonal,
    /// which forbids absurd alignments (a whole word against one frame) and saves time.
    static func distance(
        _ a: FeatureSequence,
        _ b: FeatureSequence,
        bandFraction: Float,
        abandonAbove: Float = .infinity
    ) -> Float {
        let (n, m, dimension) = (a.frameCount, b.frameCount, a.dimension)
        precondition(dimension == b.dimension, "feature dimensions differ")
        let normaliser = Float(n + m)
        let limit = abandonAbove * normaliser
        let halfWidth = max(2, Int(bandFraction * Float(max(n, m))))
        var previous = [Float](repeating: .infinity, count: m)
        var current = [Float](repeating: .infinity, count: m)
        return a.values.withUnsafeBufferPointer { aValues in
            b.values.withUnsafeBufferPointer { bValues in
                for i in 0..<n {
                    let center = n > 1 ? i * (m - 1) / (n - 1) : 0
                    let low = max(0, center - halfWidth)
                    let high = min(m - 1, center + halfWidth)
                    for j in 0..<m { current[j] = .infinity }
                    var rowMinimum = Float.infinity
                    for j in low...high {
                        var sum: Float = 0
                        let aBase = i * dimension
                        let bBase = j * dimension
                        for d in 0..<dimension {
                            let difference = aValues[aBase + d] - bValues[bBase + d]
                            sum += difference * difference
                        }
                        let cost = sum.squareRoot()
                        let best: Float
                        if i == 0 && j == 0 {
                            best = 2 * cost
                        } else {
                            let diagonal = i > 0 && j > 0 ? previous[j - 1] + 2 * cost : .infinity
                            let vertical = i > 0 ? previous[j] + cost : .infinity
                            let horizontal = j > 0 ? current[j - 1] + cost : .infinity
                            best = min(diagonal, min(vertical, horizontal))
                        }
                        current[j] = best
                        rowMinimum = min(rowMinimum, best)
                    }
                    if rowMinimum > limit { return .infinity }
                    swap(&previous, &current)
                }
                return previous[m - 1] / normaliser
            }
        }
    }
}
