import Foundation

/// Dynamic time warping: how far apart two feature sequences are once their timing is aligned,
/// so a slow "stop" still matches a quick one.
enum DynamicTimeWarping {
    /// How two frames are compared: the first `cepstralDimension` values by Euclidean distance
    /// (times `cepstralWeight`), the rest, when `posteriorWeight` > 0, as posterior vectors by
    /// -log(dot product) (times `posteriorWeight`).
    struct FrameMetric: Sendable, Hashable {
        var cepstralDimension: Int
        var cepstralWeight: Float
        var posteriorWeight: Float

        static let euclidean = FrameMetric(cepstralDimension: .max, cepstralWeight: 1, posteriorWeight: 0)
    }

    /// The average frame distance along the best alignment (symmetric steps, diagonal moves
    /// counted twice, normalised by the two lengths), or `.infinity` as soon as it is certain to
    /// exceed `abandonAbove`; k-NN search passes its current k-th best to skip hopeless templates.
    ///
    /// The path stays within a band of `bandFraction` of the longer length around the diagonal,
    /// which forbids absurd alignments (a whole word against one frame) and saves time. This is
    /// the recognizer's inner loop (one call per prototype), so it works on raw buffers and
    /// only visits the band's cells.
    static func distance(
        _ a: FeatureSequence,
        _ b: FeatureSequence,
        bandFraction: Float,
        abandonAbove: Float = .infinity,
        metric: FrameMetric = .euclidean
    ) -> Float {
        let (n, m, dimension) = (a.frameCount, b.frameCount, a.dimension)
        precondition(dimension == b.dimension, "feature dimensions differ")
        let normaliser = Float(n + m)
        let limit = abandonAbove * normaliser
        let halfWidth = max(2, Int(bandFraction * Float(max(n, m))))
        let usesPosteriors = metric.posteriorWeight > 0
        let cepstralDimension = usesPosteriors ? min(dimension, metric.cepstralDimension) : dimension
        let posteriorDimension = dimension - cepstralDimension
        // Two rows of the cost matrix; cells outside a row's band stay infinite.
        var rows = [Float](repeating: .infinity, count: 2 * m)
        return rows.withUnsafeMutableBufferPointer { rows in
            a.values.withUnsafeBufferPointer { aValues in
                b.values.withUnsafeBufferPointer { bValues in
                    var previous = rows.baseAddress!
                    var current = previous + m
                    var previousLow = 0
                    var previousHigh = -1
                    for i in 0..<n {
                        let center = n > 1 ? i * (m - 1) / (n - 1) : 0
                        let low = max(0, center - halfWidth)
                        let high = min(m - 1, center + halfWidth)
                        var rowMinimum = Float.infinity
                        let aRow = aValues.baseAddress! + i * dimension
                        var left = Float.infinity  // current[j - 1]
                        for j in low...high {
                            let bRow = bValues.baseAddress! + j * dimension
                            var cost: Float
                            if usesPosteriors {
                                cost =
                                    -metric.posteriorWeight
                                    * log(
                                        max(
                                            1e-30,
                                            dot(aRow + cepstralDimension, bRow + cepstralDimension, posteriorDimension)))
                                if metric.cepstralWeight > 0 {
                                    cost +=
                                        metric.cepstralWeight
                                        * squaredDistance(aRow, bRow, cepstralDimension).squareRoot()
                                }
                            } else {
                                cost = squaredDistance(aRow, bRow, dimension).squareRoot()
                            }
                            let best: Float
                            if i == 0 {
                                best = j == 0 ? 2 * cost : left + cost
                            } else {
                                let up = j >= previousLow && j <= previousHigh ? previous[j] : .infinity
                                let diagonal =
                                    j > 0 && j - 1 >= previousLow && j - 1 <= previousHigh ? previous[j - 1] : .infinity
                                best = min(diagonal + 2 * cost, min(up, left) + cost)
                            }
                            current[j] = best
                            left = best
                            rowMinimum = min(rowMinimum, best)
                        }
                        if rowMinimum > limit { return .infinity }
                        swap(&previous, &current)
                        (previousLow, previousHigh) = (low, high)
                    }
                    return previousHigh == m - 1 ? previous[m - 1] / normaliser : .infinity
                }
            }
        }
    }

    /// Squared Euclidean distance of two frames.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        laneSum(a, b, dimension, { ($0 - $1) * ($0 - $1) }, { ($0 - $1) * ($0 - $1) })
    }

    /// Dot product of two frames' posterior vectors.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        laneSum(a, b, dimension, { $0 * $1 }, { $0 * $1 })
    }

    /// The sum over `dimension` of `term(a[d], b[d])`, eight lanes at a time (a single running sum
    /// would not vectorise: the compiler may not reorder float additions). `lanes` is `term` on
    /// eight values; both are inlined into each caller.
    @inline(__always)
    private static func laneSum(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int,
        _ lanes: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>, _ term: (Float, Float) -> Float
    ) -> Float {
        var sums = SIMD8<Float>()
        var d = 0
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        while d + 8 <= dimension {
            let offset = d * MemoryLayout<Float>.stride
            sums += lanes(
                rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
                rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            )
            d += 8
        }
        var total = sums.sum()
        while d < dimension {
            total += term(a[d], b[d])
            d += 1
        }
        return total
    }
}
