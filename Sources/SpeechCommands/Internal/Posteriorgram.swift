import Foundation

/// A diagonal-covariance Gaussian mixture over feature frames, used to turn each frame into its
/// posterior probabilities over the components (a "posteriorgram", Zhang & Glass 2009), which
/// DTW can compare with -log(dot product) instead of (or besides) the Euclidean distance.
struct Posteriorgram: Sendable, Hashable {
    var componentCount: Int
    var dimension: Int
    var logWeights: [Float]  // componentCount
    var means: [Float]  // componentCount x dimension
    var inverseVariances: [Float]  // componentCount x dimension
    var logNormalisers: [Float]  // componentCount: log weight - 0.5 sum log(2 pi variance)
    var floor: Float
    /// Log-likelihoods are divided by this before the posteriors are formed (>1: softer).
    var temperature: Float = 1

    init(logWeights: [Float], means: [Float], variances: [Float], dimension: Int, floor: Float) {
        componentCount = logWeights.count
        self.dimension = dimension
        self.logWeights = logWeights
        self.means = means
        inverseVariances = variances.map { 1 / $0 }
        self.floor = floor
        logNormalisers = (0..<logWeights.count).map { component in
            var sum: Float = 0
            for d in 0..<dimension { sum += log(2 * Float.pi * variances[component * dimension + d]) }
            return logWeights[component] - 0.5 * sum
        }
    }

    var variances: [Float] { inverseVariances.map { 1 / $0 } }

    /// Log-likelihood of `frame` under each component (weight included), into `output`.
    @inline(__always)
    func componentLogLikelihoods(_ frame: UnsafePointer<Float>, into output: inout [Float]) {
        means.withUnsafeBufferPointer { means in
            inverseVariances.withUnsafeBufferPointer { precisions in
                for component in 0..<componentCount {
                    var sum: Float = 0
                    let base = component * dimension
                    for d in 0..<dimension {
                        let difference = frame[d] - means[base + d]
                        sum += difference * difference * precisions[base + d]
                    }
                    output[component] = logNormalisers[component] - 0.5 * sum
                }
            }
        }
    }

    /// The sequence with each frame's posteriors (floored at `floor`, renormalised) appended.
    func augmented(_ sequence: FeatureSequence) -> FeatureSequence {
        let inputDimension = sequence.dimension
        precondition(inputDimension >= dimension, "feature dimension below the mixture's")
        let outputDimension = inputDimension + componentCount
        var output = [Float](repeating: 0, count: sequence.frameCount * outputDimension)
        var likelihoods = [Float](repeating: 0, count: componentCount)
        sequence.values.withUnsafeBufferPointer { values in
            for frame in 0..<sequence.frameCount {
                let row = values.baseAddress! + frame * inputDimension
                componentLogLikelihoods(row, into: &likelihoods)
                let best = likelihoods.max() ?? 0
                var total: Float = 0
                for component in 0..<componentCount {
                    likelihoods[component] = exp((likelihoods[component] - best) / temperature)
                    total += likelihoods[component]
                }
                var floored: Float = 0
                for component in 0..<componentCount {
                    likelihoods[component] = max(floor, likelihoods[component] / total)
                    floored += likelihoods[component]
                }
                let start = frame * outputDimension
                for d in 0..<inputDimension { output[start + d] = row[d] }
                for component in 0..<componentCount {
                    output[start + inputDimension + component] = likelihoods[component] / floored
                }
            }
        }
        return FeatureSequence(frameCount: sequence.frameCount, dimension: outputDimension, values: output)
    }

    /// Fits the mixture to (at most `maximumFrames`, evenly spread) frames of `sequences`:
    /// k-means++ initialisation then `iterations` EM steps; seeded, so training is reproducible.
    static func fit(
        _ sequences: [FeatureSequence],
        components: Int,
        iterations: Int,
        maximumFrames: Int,
        floor: Float,
        seed: UInt64,
        usedDimension: Int? = nil
    ) -> Posteriorgram {
        let stride = sequences.first?.dimension ?? 0
        let dimension = min(stride, usedDimension ?? stride)
        let total = sequences.reduce(0) { $0 + $1.frameCount }
        let step = max(1, total / max(1, maximumFrames))
        var frames: [Float] = []
        frames.reserveCapacity((total / step + 1) * dimension)
        var counter = 0
        for sequence in sequences {
            for frame in 0..<sequence.frameCount {
                if counter % step == 0 {
                    frames += sequence.values[frame * stride..<frame * stride + dimension]
                }
                counter += 1
            }
        }
        let n = frames.count / max(1, dimension)
        let k = max(1, min(components, n))
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        // Global variance, used for initial variances and as a floor.
        var globalMean = [Float](repeating: 0, count: dimension)
        var globalVariance = [Float](repeating: 0, count: dimension)
        for i in 0..<n { for d in 0..<dimension { globalMean[d] += frames[i * dimension + d] } }
        for d in 0..<dimension { globalMean[d] /= Float(max(1, n)) }
        for i in 0..<n {
            for d in 0..<dimension {
                let difference = frames[i * dimension + d] - globalMean[d]
                globalVariance[d] += difference * difference
            }
        }
        for d in 0..<dimension { globalVariance[d] = max(1e-6, globalVariance[d] / Float(max(1, n))) }
        let varianceFloor = globalVariance.map { $0 * 0.01 }
        // k-means++ seeding.
        var means = [Float](repeating: 0, count: k * dimension)
        var nearest = [Float](repeating: .infinity, count: n)
        var chosen = Int(uniform() * Double(n)) % max(1, n)
        for component in 0..<k {
            for d in 0..<dimension { means[component * dimension + d] = frames[chosen * dimension + d] }
            var sum: Double = 0
            for i in 0..<n {
                var distance: Float = 0
                for d in 0..<dimension {
                    let difference = frames[i * dimension + d] - means[component * dimension + d]
                    distance += difference * difference
                }
                nearest[i] = min(nearest[i], distance)
                sum += Double(nearest[i])
            }
            var target = uniform() * sum
            chosen = n - 1
            for i in 0..<n {
                target -= Double(nearest[i])
                if target <= 0 {
                    chosen = i
                    break
                }
            }
        }
        var model = Posteriorgram(
            logWeights: [Float](repeating: -log(Float(k)), count: k),
            means: means,
            variances: (0..<k).flatMap { _ in globalVariance.map { $0 * 0.25 } },
            dimension: dimension,
            floor: floor
        )
        var likelihoods = [Float](repeating: 0, count: k)
        for _ in 0..<iterations {
            var counts = [Double](repeating: 0, count: k)
            var sums = [Double](repeating: 0, count: k * dimension)
            var squares = [Double](repeating: 0, count: k * dimension)
            frames.withUnsafeBufferPointer { frames in
                for i in 0..<n {
                    let row = frames.baseAddress! + i * dimension
                    model.componentLogLikelihoods(row, into: &likelihoods)
                    let best = likelihoods.max() ?? 0
                    var total: Float = 0
                    for c in 0..<k {
                        likelihoods[c] = exp(likelihoods[c] - best)
                        total += likelihoods[c]
                    }
                    for c in 0..<k {
                        let r = likelihoods[c] / total
                        guard r > 1e-5 else { continue }
                        counts[c] += Double(r)
                        for d in 0..<dimension {
                            let value = Double(row[d])
                            sums[c * dimension + d] += Double(r) * value
                            squares[c * dimension + d] += Double(r) * value * value
                        }
                    }
                }
            }
            var newMeans = model.means
            var newVariances = model.variances
            var newLogWeights = model.logWeights
            for c in 0..<k where counts[c] > 1e-3 {
                newLogWeights[c] = Float(log(counts[c] / Double(n)))
                for d in 0..<dimension {
                    let mean = sums[c * dimension + d] / counts[c]
                    newMeans[c * dimension + d] = Float(mean)
                    newVariances[c * dimension + d] = max(
                        varianceFloor[d], Float(squares[c * dimension + d] / counts[c] - mean * mean))
                }
            }
            model = Posteriorgram(
                logWeights: newLogWeights, means: newMeans, variances: newVariances, dimension: dimension, floor: floor)
        }
        return model
    }
}
