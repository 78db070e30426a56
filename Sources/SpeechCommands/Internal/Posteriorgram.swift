import Foundation

/// A diagonal-covariance Gaussian mixture over feature frames, used to turn each frame into its
/// posterior probabilities over the components (a "posteriorgram", Zhang & Glass 2009), which
/// DTW compares with -log(dot product) besides the Euclidean distance of the cepstra.
///
/// The mixture is fitted on the training frames (vocal-tract and noisy copies included): k-means++
/// seeding, then a few EM steps. Only 4 steps: measured with scripts/evaluate-recognizer.sh,
/// 2-4 steps kept other engines at 80-82% closest word right, 6 and 8 steps (a mixture closer to
/// espeak-ng's frames) let them fall to 79% and 76%.
struct Posteriorgram: Sendable, Hashable {
    var componentCount: Int
    var dimension: Int
    var logWeights: [Float]  // componentCount
    var means: [Float]  // componentCount x dimension
    var inverseVariances: [Float]  // componentCount x dimension
    var logNormalisers: [Float]  // componentCount: log weight - 0.5 sum log(2 pi variance)
    /// Posteriors below this are raised to it (then renormalised), so -log(dot) stays finite and
    /// one unlikely component cannot dominate a frame distance.
    var floor: Float

    /// A mixture exactly as stored in a model file.
    init(
        logWeights: [Float], means: [Float], inverseVariances: [Float], logNormalisers: [Float], dimension: Int,
        floor: Float
    ) {
        componentCount = logWeights.count
        self.dimension = dimension
        self.logWeights = logWeights
        self.means = means
        self.inverseVariances = inverseVariances
        self.logNormalisers = logNormalisers
        self.floor = floor
    }

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
        precondition(inputDimension == dimension, "feature dimension differs from the mixture's")
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
                    likelihoods[component] = exp(likelihoods[component] - best)
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
    /// `checkpoint` runs between steps (cancellation).
    static func fit(
        _ sequences: [FeatureSequence],
        components: Int,
        iterations: Int,
        maximumFrames: Int,
        floor: Float,
        seed: UInt64,
        checkpoint: () async throws -> Void
    ) async throws -> Posteriorgram {
        let stride = sequences.first?.dimension ?? 0
        let dimension = stride
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
            if component % 16 == 0 { try await checkpoint() }
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
            try await checkpoint()
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
