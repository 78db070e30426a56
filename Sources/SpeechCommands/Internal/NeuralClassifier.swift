import Foundation

/// A small neural network that scores words from a whole clip at once: the clip's feature
/// sequence is pooled to a fixed number of frames, standardised, and fed through one hidden layer
/// of rectified units to a softmax over the words.
///
/// It complements the template matcher: DTW compares a clip with a few dozen prototypes frame by
/// frame and is thrown by a consonant that another engine renders differently; the network
/// learns, from every training clip and its altered copies, which parts of the pooled features
/// tell the words apart. Trained with Adam on mini-batches, with feature-space augmentation on
/// every presentation (random cuts at both ends, dropped inputs), in plain Swift.
package struct NeuralClassifier: Sendable, Hashable {
    /// Training settings; package-wide so the evaluation can vary them.
    package struct Options: Sendable, Hashable {
        /// Frames the feature sequence is pooled to.
        package var frames = 24
        package var hiddenUnits = 128
        package var epochs = 40
        /// Presentations (examples x epochs) at most, so training cost stops growing with the dataset.
        package var maximumPresentations = 60_000
        package var batchSize = 16
        package var learningRate: Float = 0.002
        package var weightDecay: Float = 1e-4
        /// Share of inputs zeroed on each presentation.
        package var inputDropout: Float = 0.1
        /// Each end of the sequence is cut by up to this share of its frames on each presentation.
        package var timeJitter: Float = 0.08
        package var labelSmoothing: Float = 0.1
        /// Experiment: a convolutional network (frames = kernel, hiddenUnits = channels) instead.
        package var convolutional = false
        /// Feature dimensions below this are not shown to the network (13: deltas only).
        package var firstDimension = 0

        package init() {}
        package static let defaults = Options()
    }

    let frames: Int
    let dimension: Int
    let hiddenUnits: Int
    let wordCount: Int
    /// Per feature dimension: subtracted, then multiplied, before the first layer.
    var inputMean: [Float]
    var inputScale: [Float]
    /// hiddenUnits x inputCount, row-major.
    var hiddenWeights: [Float]
    var hiddenBiases: [Float]
    /// wordCount x hiddenUnits, row-major.
    var outputWeights: [Float]
    var outputBiases: [Float]

    var inputCount: Int { frames * dimension }

    /// The sequence averaged over `frames` equal spans between frame positions `start` and `end`
    /// (fractional; 0 and frameCount for the whole clip): each output frame is the overlap-weighted
    /// mean of the frames its span covers, so short and long clips give the same shape.
    static func pooled(_ sequence: FeatureSequence, frames: Int, start: Float, end: Float, into output: inout [Float]) {
        let dimension = sequence.dimension
        let count = sequence.frameCount
        let span = max(end - start, 1e-3) / Float(frames)
        sequence.values.withUnsafeBufferPointer { values in
            for frame in 0..<frames {
                let from = start + Float(frame) * span
                let to = from + span
                var weightSum: Float = 0
                let base = frame * dimension
                for d in 0..<dimension { output[base + d] = 0 }
                var index = max(0, Int(from.rounded(.down)))
                while index < count, Float(index) < to {
                    let weight = min(to, Float(index + 1)) - max(from, Float(index))
                    if weight > 0 {
                        weightSum += weight
                        let row = index * dimension
                        for d in 0..<dimension { output[base + d] += weight * values[row + d] }
                    }
                    index += 1
                }
                if weightSum > 0 {
                    for d in 0..<dimension { output[base + d] /= weightSum }
                } else {
                    let row = min(count - 1, max(0, Int(from))) * dimension
                    for d in 0..<dimension { output[base + d] = values[row + d] }
                }
            }
        }
    }

    /// The standardised network input for a whole sequence.
    func input(of sequence: FeatureSequence) -> [Float] {
        var input = [Float](repeating: 0, count: inputCount)
        Self.pooled(sequence, frames: frames, start: 0, end: Float(sequence.frameCount), into: &input)
        standardise(&input)
        return input
    }

    private func standardise(_ input: inout [Float]) {
        for frame in 0..<frames {
            for d in 0..<dimension {
                let index = frame * dimension + d
                input[index] = (input[index] - inputMean[d]) * inputScale[d]
            }
        }
    }

    /// Word probabilities (softmax of the output layer) for a clip's features.
    func probabilities(for sequence: FeatureSequence) -> [Double] {
        guard sequence.frameCount > 0, sequence.dimension == dimension else {
            return [Double](repeating: 1 / Double(max(1, wordCount)), count: wordCount)
        }
        var hidden = [Float](repeating: 0, count: hiddenUnits)
        var logits = [Float](repeating: 0, count: wordCount)
        forward(input(of: sequence), hidden: &hidden, logits: &logits)
        return Self.softmax(logits).map(Double.init)
    }

    private func forward(_ input: [Float], hidden: inout [Float], logits: inout [Float]) {
        let inputs = inputCount
        input.withUnsafeBufferPointer { x in
            hiddenWeights.withUnsafeBufferPointer { w in
                for unit in 0..<hiddenUnits {
                    hidden[unit] = max(0, hiddenBiases[unit] + Self.dot(w.baseAddress! + unit * inputs, x.baseAddress!, inputs))
                }
            }
        }
        hidden.withUnsafeBufferPointer { h in
            outputWeights.withUnsafeBufferPointer { w in
                for word in 0..<wordCount {
                    logits[word] = outputBiases[word] + Self.dot(w.baseAddress! + word * hiddenUnits, h.baseAddress!, hiddenUnits)
                }
            }
        }
    }

    static func softmax(_ logits: [Float]) -> [Float] {
        let top = logits.max() ?? 0
        let weights = logits.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// Dot product with eight running sums, so it vectorises (a single sum would not: float
    /// addition is not reassociated by the compiler).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sums = SIMD8<Float>()
        var index = 0
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        while index + 8 <= count {
            let offset = index * MemoryLayout<Float>.stride
            sums +=
                rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            index += 8
        }
        var total = sums.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// SplitMix64: reproducible shuffles, initial weights and augmentation.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }  // 0..<1
    }

    /// Trains on labelled sequences (word index per sequence). Deterministic for a given seed;
    /// weights are rounded to half precision at the end, as the serialized model stores them.
    static func trained(
        on sequences: [(wordIndex: Int, features: FeatureSequence)],
        wordCount: Int,
        options: Options,
        seed: UInt64,
        checkpoint: () async throws -> Void,
        progress: (Double) -> Void
    ) async throws -> NeuralClassifier? {
        guard let dimension = sequences.first?.features.dimension, wordCount >= 2 else { return nil }
        let examples = sequences.filter { $0.features.frameCount > 0 && $0.features.dimension == dimension }
        guard !examples.isEmpty else { return nil }
        let frames = max(1, options.frames)
        let hiddenUnits = max(1, options.hiddenUnits)
        let inputs = frames * dimension
        // Per-dimension standardisation over every training frame.
        var mean = [Double](repeating: 0, count: dimension)
        var square = [Double](repeating: 0, count: dimension)
        var frameTotal = 0
        for example in examples {
            let values = example.features.values
            for frame in 0..<example.features.frameCount {
                for d in 0..<dimension {
                    let value = Double(values[frame * dimension + d])
                    mean[d] += value
                    square[d] += value * value
                }
            }
            frameTotal += example.features.frameCount
        }
        let inputMean = mean.map { Float($0 / Double(frameTotal)) }
        let inputScale = (0..<dimension).map { d -> Float in
            if d < options.firstDimension { return 0 }
            let average = mean[d] / Double(frameTotal)
            let variance = square[d] / Double(frameTotal) - average * average
            return Float(1 / max(variance, 1e-6).squareRoot())
        }
        var generator = Generator(state: seed ^ 0x5EED_C1A5_51F1_E400)
        func uniform(_ limit: Float) -> Float { (generator.uniform() * 2 - 1) * limit }
        var network = NeuralClassifier(
            frames: frames,
            dimension: dimension,
            hiddenUnits: hiddenUnits,
            wordCount: wordCount,
            inputMean: inputMean,
            inputScale: inputScale,
            hiddenWeights: (0..<hiddenUnits * inputs).map { _ in uniform((6 / Float(inputs)).squareRoot()) },
            hiddenBiases: [Float](repeating: 0, count: hiddenUnits),
            outputWeights: (0..<wordCount * hiddenUnits).map { _ in uniform((6 / Float(hiddenUnits + wordCount)).squareRoot()) },
            outputBiases: [Float](repeating: 0, count: wordCount)
        )
        var adam = [Adam](
            arrayLiteral: Adam(count: hiddenUnits * inputs),
            Adam(count: hiddenUnits),
            Adam(count: wordCount * hiddenUnits),
            Adam(count: wordCount)
        )
        var hiddenWeightGradient = [Float](repeating: 0, count: hiddenUnits * inputs)
        var hiddenBiasGradient = [Float](repeating: 0, count: hiddenUnits)
        var outputWeightGradient = [Float](repeating: 0, count: wordCount * hiddenUnits)
        var outputBiasGradient = [Float](repeating: 0, count: wordCount)
        let epochs = max(1, min(options.epochs, options.maximumPresentations / examples.count))
        let batchSize = max(1, options.batchSize)
        var order = Array(examples.indices)
        var input = [Float](repeating: 0, count: inputs)
        var hidden = [Float](repeating: 0, count: hiddenUnits)
        var logits = [Float](repeating: 0, count: wordCount)
        var hiddenGradient = [Float](repeating: 0, count: hiddenUnits)
        let smoothing = min(max(options.labelSmoothing, 0), 0.5)
        var step = 0
        for epoch in 0..<epochs {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            for batchStart in stride(from: 0, to: order.count, by: batchSize) {
                try await checkpoint()
                let batch = order[batchStart..<min(order.count, batchStart + batchSize)]
                for index in hiddenWeightGradient.indices { hiddenWeightGradient[index] = 0 }
                for index in hiddenBiasGradient.indices { hiddenBiasGradient[index] = 0 }
                for index in outputWeightGradient.indices { outputWeightGradient[index] = 0 }
                for index in outputBiasGradient.indices { outputBiasGradient[index] = 0 }
                for exampleIndex in batch {
                    let example = examples[exampleIndex]
                    let count = Float(example.features.frameCount)
                    let cut = options.timeJitter * count
                    let start = generator.uniform() * cut
                    let end = count - generator.uniform() * cut
                    pooled(example.features, frames: frames, start: start, end: end, into: &input)
                    network.standardise(&input)
                    if options.inputDropout > 0 {
                        let keep = 1 / (1 - options.inputDropout)
                        for index in input.indices {
                            input[index] = generator.uniform() < options.inputDropout ? 0 : input[index] * keep
                        }
                    }
                    network.forward(input, hidden: &hidden, logits: &logits)
                    var outputGradient = softmax(logits)
                    for word in 0..<wordCount {
                        let target = (word == example.wordIndex ? 1 - smoothing : 0) + smoothing / Float(wordCount)
                        outputGradient[word] -= target
                    }
                    for unit in 0..<hiddenUnits { hiddenGradient[unit] = 0 }
                    for word in 0..<wordCount {
                        let g = outputGradient[word]
                        outputBiasGradient[word] += g
                        let row = word * hiddenUnits
                        for unit in 0..<hiddenUnits {
                            outputWeightGradient[row + unit] += g * hidden[unit]
                            hiddenGradient[unit] += g * network.outputWeights[row + unit]
                        }
                    }
                    for unit in 0..<hiddenUnits where hidden[unit] > 0 {
                        hiddenBiasGradient[unit] += hiddenGradient[unit]
                    }
                    hiddenWeightGradient.withUnsafeMutableBufferPointer { weightGradient in
                        input.withUnsafeBufferPointer { x in
                            for unit in 0..<hiddenUnits where hidden[unit] > 0 {
                                let g = hiddenGradient[unit]
                                let row = weightGradient.baseAddress! + unit * inputs
                                for index in 0..<inputs { row[index] += g * x[index] }
                            }
                        }
                    }
                }
                step += 1
                let scale = 1 / Float(batch.count)
                adam[0].update(&network.hiddenWeights, hiddenWeightGradient, scale: scale, step: step, options: options, decays: true)
                adam[1].update(&network.hiddenBiases, hiddenBiasGradient, scale: scale, step: step, options: options, decays: false)
                adam[2].update(&network.outputWeights, outputWeightGradient, scale: scale, step: step, options: options, decays: true)
                adam[3].update(&network.outputBiases, outputBiasGradient, scale: scale, step: step, options: options, decays: false)
            }
            progress(Double(epoch + 1) / Double(epochs))
        }
        network.roundToHalfPrecision()
        return network
    }

    mutating func roundToHalfPrecision() {
        func rounded(_ values: [Float]) -> [Float] { values.map { Float(Float16($0)) } }
        inputMean = rounded(inputMean)
        inputScale = rounded(inputScale)
        hiddenWeights = rounded(hiddenWeights)
        hiddenBiases = rounded(hiddenBiases)
        outputWeights = rounded(outputWeights)
        outputBiases = rounded(outputBiases)
    }

    /// Adam's moment estimates for one parameter array.
    struct Adam {
        var first: [Float]
        var second: [Float]
        init(count: Int) {
            first = [Float](repeating: 0, count: count)
            second = [Float](repeating: 0, count: count)
        }

        mutating func update(
            _ parameters: inout [Float],
            _ gradient: [Float],
            scale: Float,
            step: Int,
            options: Options,
            decays: Bool
        ) {
            let (beta1, beta2): (Float, Float) = (0.9, 0.999)
            let correction1 = 1 - pow(beta1, Float(step))
            let correction2 = 1 - pow(beta2, Float(step))
            let rate = options.learningRate * correction2.squareRoot() / correction1
            let decay = decays ? options.learningRate * options.weightDecay : 0
            for index in parameters.indices {
                let g = gradient[index] * scale
                first[index] = beta1 * first[index] + (1 - beta1) * g
                second[index] = beta2 * second[index] + (1 - beta2) * g * g
                parameters[index] -= rate * first[index] / (second[index].squareRoot() + 1e-8) + decay * parameters[index]
            }
        }
    }
}
