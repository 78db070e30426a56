import Foundation

/// Experiment: a 1-D convolutional network over the (standardised) feature sequence: `channels`
/// filters spanning `kernel` frames, ReLU, max over time (so where a sound occurs does not
/// matter), then a linear layer and softmax over the words.
struct ConvolutionalClassifier: Sendable, Hashable {
    let kernel: Int
    let dimension: Int
    let channels: Int
    let wordCount: Int
    var inputMean: [Float]
    var inputScale: [Float]
    var filterWeights: [Float]  // channels x (kernel * dimension)
    var filterBiases: [Float]
    var outputWeights: [Float]  // wordCount x channels
    var outputBiases: [Float]

    private func standardised(_ sequence: FeatureSequence, start: Int = 0, end: Int? = nil) -> [Float] {
        let end = end ?? sequence.frameCount
        var frames = max(kernel, end - start)
        var values = [Float](repeating: 0, count: frames * dimension)
        for frame in 0..<(end - start) {
            for d in 0..<dimension {
                values[frame * dimension + d] =
                    (sequence.values[(start + frame) * dimension + d] - inputMean[d]) * inputScale[d]
            }
        }
        frames = max(frames, 0)
        return values
    }

    /// Pooled channel activations and, per channel, the frame where the maximum was.
    private func pooled(_ input: [Float]) -> (values: [Float], positions: [Int]) {
        let frames = input.count / dimension
        let span = kernel * dimension
        var values = [Float](repeating: 0, count: channels)
        var positions = [Int](repeating: 0, count: channels)
        input.withUnsafeBufferPointer { x in
            filterWeights.withUnsafeBufferPointer { w in
                for channel in 0..<channels {
                    var best = -Float.infinity
                    var at = 0
                    let row = w.baseAddress! + channel * span
                    for frame in 0...(frames - kernel) {
                        let z = NeuralClassifier.dot(row, x.baseAddress! + frame * dimension, span)
                        if z > best { (best, at) = (z, frame) }
                    }
                    values[channel] = max(0, best + filterBiases[channel])
                    positions[channel] = at
                }
            }
        }
        return (values, positions)
    }

    private func logits(_ hidden: [Float]) -> [Float] {
        (0..<wordCount).map { word in
            var sum = outputBiases[word]
            for channel in 0..<channels { sum += outputWeights[word * channels + channel] * hidden[channel] }
            return sum
        }
    }

    func probabilities(for sequence: FeatureSequence) -> [Double] {
        guard sequence.frameCount > 0, sequence.dimension == dimension else {
            return [Double](repeating: 1 / Double(max(1, wordCount)), count: wordCount)
        }
        return NeuralClassifier.softmax(logits(pooled(standardised(sequence)).values)).map(Double.init)
    }

    static func trained(
        on sequences: [(wordIndex: Int, features: FeatureSequence)],
        wordCount: Int,
        options: NeuralClassifier.Options,
        seed: UInt64,
        checkpoint: () async throws -> Void
    ) async throws -> ConvolutionalClassifier? {
        guard let dimension = sequences.first?.features.dimension, wordCount >= 2 else { return nil }
        let examples = sequences.filter { $0.features.frameCount > 0 }
        var mean = [Double](repeating: 0, count: dimension)
        var square = [Double](repeating: 0, count: dimension)
        var total = 0
        for example in examples {
            for frame in 0..<example.features.frameCount {
                for d in 0..<dimension {
                    let value = Double(example.features.values[frame * dimension + d])
                    mean[d] += value
                    square[d] += value * value
                }
            }
            total += example.features.frameCount
        }
        let kernel = max(1, options.frames)
        let channels = max(1, options.hiddenUnits)
        let span = kernel * dimension
        var generator = NeuralClassifier.Generator(state: seed ^ 0xC0_47_1D)
        func uniform(_ limit: Float) -> Float { (generator.uniform() * 2 - 1) * limit }
        var network = ConvolutionalClassifier(
            kernel: kernel,
            dimension: dimension,
            channels: channels,
            wordCount: wordCount,
            inputMean: mean.map { Float($0 / Double(total)) },
            inputScale: (0..<dimension).map { d in
                let average = mean[d] / Double(total)
                return Float(1 / max(square[d] / Double(total) - average * average, 1e-6).squareRoot())
            },
            filterWeights: (0..<channels * span).map { _ in uniform((6 / Float(span)).squareRoot()) },
            filterBiases: [Float](repeating: 0, count: channels),
            outputWeights: (0..<wordCount * channels).map { _ in uniform((6 / Float(channels + wordCount)).squareRoot()) },
            outputBiases: [Float](repeating: 0, count: wordCount)
        )
        var adam = [
            NeuralClassifier.Adam(count: channels * span), NeuralClassifier.Adam(count: channels),
            NeuralClassifier.Adam(count: wordCount * channels), NeuralClassifier.Adam(count: wordCount),
        ]
        var gradientFilters = [Float](repeating: 0, count: channels * span)
        var gradientFilterBiases = [Float](repeating: 0, count: channels)
        var gradientOutputs = [Float](repeating: 0, count: wordCount * channels)
        var gradientOutputBiases = [Float](repeating: 0, count: wordCount)
        let epochs = max(1, min(options.epochs, options.maximumPresentations / max(1, examples.count)))
        let batchSize = max(1, options.batchSize)
        let smoothing = options.labelSmoothing
        var order = Array(examples.indices)
        var step = 0
        for _ in 0..<epochs {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            for batchStart in stride(from: 0, to: order.count, by: batchSize) {
                try await checkpoint()
                let batch = order[batchStart..<min(order.count, batchStart + batchSize)]
                for i in gradientFilters.indices { gradientFilters[i] = 0 }
                for i in gradientFilterBiases.indices { gradientFilterBiases[i] = 0 }
                for i in gradientOutputs.indices { gradientOutputs[i] = 0 }
                for i in gradientOutputBiases.indices { gradientOutputBiases[i] = 0 }
                for exampleIndex in batch {
                    let example = examples[exampleIndex]
                    let count = example.features.frameCount
                    let cut = Int(options.timeJitter * Float(count))
                    let start = cut > 0 ? Int(generator.next() % UInt64(cut + 1)) : 0
                    let end = count - (cut > 0 ? Int(generator.next() % UInt64(cut + 1)) : 0)
                    var input = network.standardised(example.features, start: start, end: max(start + 1, end))
                    if options.inputDropout > 0 {
                        let keep = 1 / (1 - options.inputDropout)
                        for i in input.indices { input[i] = generator.uniform() < options.inputDropout ? 0 : input[i] * keep }
                    }
                    let (hidden, positions) = network.pooled(input)
                    var gradient = NeuralClassifier.softmax(network.logits(hidden))
                    for word in 0..<wordCount {
                        gradient[word] -= (word == example.wordIndex ? 1 - smoothing : 0) + smoothing / Float(wordCount)
                    }
                    var hiddenGradient = [Float](repeating: 0, count: channels)
                    for word in 0..<wordCount {
                        gradientOutputBiases[word] += gradient[word]
                        for channel in 0..<channels {
                            gradientOutputs[word * channels + channel] += gradient[word] * hidden[channel]
                            hiddenGradient[channel] += gradient[word] * network.outputWeights[word * channels + channel]
                        }
                    }
                    for channel in 0..<channels where hidden[channel] > 0 {
                        let g = hiddenGradient[channel]
                        gradientFilterBiases[channel] += g
                        let offset = positions[channel] * dimension
                        for k in 0..<span { gradientFilters[channel * span + k] += g * input[offset + k] }
                    }
                }
                step += 1
                let scale = 1 / Float(batch.count)
                adam[0].update(&network.filterWeights, gradientFilters, scale: scale, step: step, options: options, decays: true)
                adam[1].update(&network.filterBiases, gradientFilterBiases, scale: scale, step: step, options: options, decays: false)
                adam[2].update(&network.outputWeights, gradientOutputs, scale: scale, step: step, options: options, decays: true)
                adam[3].update(&network.outputBiases, gradientOutputBiases, scale: scale, step: step, options: options, decays: false)
            }
        }
        return network
    }
}
