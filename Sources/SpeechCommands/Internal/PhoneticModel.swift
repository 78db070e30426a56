import Foundation

/// Turns speech into phone posteriors ("phonetic posteriorgram", Hazen, Shen & White 2009) with
/// the codebooks of CMU Sphinx's generic US English acoustic model, which was trained on hours
/// of many real speakers: a description of each frame that depends far less on the voice than
/// cepstra do, and that needs nothing from the user's dataset.
///
/// The model (`Resources/en-us-phonetic.bin`, made by `scripts/convert-phonetic-model.py`) has
/// 42 base phones (silence and noises included), each with 128 diagonal Gaussians per feature
/// stream (13 cepstra, their deltas, their second deltas). A frame's likelihood under a phone is
/// the sum over the streams of its best Gaussian's (the max instead of the mixture's sum: no
/// exponentials, and measured no worse), and the posteriors are those normalised over phones.
///
/// The features follow the model's front end (`feat.params`: 25 mel filters of unit area from
/// 130 to 6800 Hz, log, DCT, lifter 22, mean removed over the clip), except that frames are the
/// recognizer's own (25 ms every 10 ms instead of 25.6 ms), so the posteriors line up with them.
package struct PhoneticModel: Sendable {
    package static let phoneCount = 42
    private static let streamCount = 3
    private static let densityCount = 128
    private static let cepstrumCount = 13

    /// Per phone, stream and cepstrum, the 128 densities' means and halved precisions side by side,
    /// so 16 densities are scored at once in SIMD lanes (no horizontal sums in the inner loop).
    private let means: [Float]
    private let halfPrecisions: [Float]
    /// Per phone, stream and density: -0.5 * sum log(2 pi variance).
    private let logNormalisers: [Float]
    /// Posteriors below this are raised to it (then renormalised), as for the frame mixture.
    let floor: Float = 1e-4

    private let filterbank: MelFilterbank
    private let fft: FFT
    private let dct: [Float]  // cepstrumCount x bands, row-major, with the lifter applied
    private let bandCount = 25

    /// The model shipped with the package, loaded once; nil only if the resource is missing or damaged.
    package static let shipped: PhoneticModel? = {
        guard let url = Bundle.module.url(forResource: "en-us-phonetic", withExtension: "bin"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return try? PhoneticModel(data: data)
    }()

    init(data: Data) throws {
        var reader = BinaryReader([UInt8](data))
        guard try (0..<4).map({ _ in try reader.read(UInt8.self) }) == Array("SNPM".utf8), try reader.read(UInt16.self) == 1
        else { throw PhoneticModelError() }
        let shape = try (0..<4).map { _ in Int(try reader.read(UInt16.self)) }
        guard shape == [Self.phoneCount, Self.streamCount, Self.densityCount, Self.cepstrumCount] else {
            throw PhoneticModelError()
        }
        let gaussians = Self.phoneCount * Self.streamCount * Self.densityCount
        func readVectors() throws -> [SIMD16<Float>] {
            try (0..<gaussians).map { _ in
                var vector = SIMD16<Float>()
                for d in 0..<Self.cepstrumCount { vector[d] = Float(try reader.readHalf()) }
                return vector
            }
        }
        let densityMeans = try readVectors()
        let variances = try readVectors()
        // Stored density by density; regrouped cepstrum by cepstrum: [phone, stream][d][density].
        let (densities, dimension) = (Self.densityCount, Self.cepstrumCount)
        var means = [Float](repeating: 0, count: gaussians * dimension)
        var halfPrecisions = means
        for gaussian in 0..<gaussians {
            let (group, density) = gaussian.quotientAndRemainder(dividingBy: densities)
            for d in 0..<dimension {
                let index = (group * dimension + d) * densities + density
                means[index] = densityMeans[gaussian][d]
                halfPrecisions[index] = 0.5 / max(variances[gaussian][d], 1e-4)
            }
        }
        self.means = means
        self.halfPrecisions = halfPrecisions
        logNormalisers = variances.map { variance in
            var sum: Float = 0
            for d in 0..<Self.cepstrumCount { sum += log(2 * Float.pi * max(variance[d], 1e-4)) }
            return -0.5 * sum
        }
        fft = FFT(size: 512)
        filterbank = MelFilterbank(
            bandCount: bandCount, fftSize: 512, sampleRate: 16_000, lowFrequency: 130, highFrequency: 6_800, unitArea: true
        )
        let bands = bandCount
        dct = (0..<Self.cepstrumCount * bands).map { index in
            let (coefficient, band) = index.quotientAndRemainder(dividingBy: bands)
            let scale = sqrt(2 / Double(bands)) * (coefficient == 0 ? sqrt(0.5) : 1)
            let lifter = 1 + 11 * sin(Double.pi * Double(coefficient) / 22)
            return Float(scale * lifter * cos(Double.pi * Double(coefficient) * (Double(band) + 0.5) / Double(bands)))
        }
    }

    /// Phone posteriors of `speech` (16 kHz, trimmed, as the recognizer's features see it), one
    /// frame per `frameLength` window every `hopLength` samples: frameCount x 42.
    package func posteriors(ofSpeech speech: [Float], frameLength: Int, hopLength: Int) -> FeatureSequence {
        let features = streams(of: speech, frameLength: frameLength, hopLength: hopLength)
        let frameCount = features.count
        var output = [Float](repeating: 0, count: frameCount * Self.phoneCount)
        var logLikelihoods = [Float](repeating: 0, count: Self.phoneCount)
        for frame in 0..<frameCount {
            for phone in 0..<Self.phoneCount {
                var total: Float = 0
                for stream in 0..<Self.streamCount {
                    total += bestLogLikelihood(features[frame][stream], group: phone * Self.streamCount + stream)
                }
                logLikelihoods[phone] = total
            }
            let best = logLikelihoods.max() ?? 0
            var sum: Float = 0
            for phone in 0..<Self.phoneCount {
                logLikelihoods[phone] = exp(logLikelihoods[phone] - best)
                sum += logLikelihoods[phone]
            }
            var floored: Float = 0
            for phone in 0..<Self.phoneCount {
                logLikelihoods[phone] = max(floor, logLikelihoods[phone] / sum)
                floored += logLikelihoods[phone]
            }
            for phone in 0..<Self.phoneCount {
                output[frame * Self.phoneCount + phone] = logLikelihoods[phone] / floored
            }
        }
        return FeatureSequence(frameCount: frameCount, dimension: Self.phoneCount, values: output)
    }

    /// The highest log-likelihood of `x` under the 128 densities of one phone's stream, 16 at a time.
    @inline(__always)
    private func bestLogLikelihood(_ x: SIMD16<Float>, group: Int) -> Float {
        let (densities, dimension) = (Self.densityCount, Self.cepstrumCount)
        return means.withUnsafeBufferPointer { means in
            halfPrecisions.withUnsafeBufferPointer { halfPrecisions in
                logNormalisers.withUnsafeBufferPointer { logNormalisers in
                    let meanBase = UnsafeRawPointer(means.baseAddress! + group * dimension * densities)
                    let precisionBase = UnsafeRawPointer(halfPrecisions.baseAddress! + group * dimension * densities)
                    let normaliserBase = UnsafeRawPointer(logNormalisers.baseAddress! + group * densities)
                    var best = SIMD16<Float>(repeating: -.infinity)
                    for lane in stride(from: 0, to: densities, by: 16) {
                        var score = normaliserBase.loadUnaligned(fromByteOffset: lane * 4, as: SIMD16<Float>.self)
                        for d in 0..<dimension {
                            let offset = (d * densities + lane) * 4
                            let difference = x[d] - meanBase.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                            score -= difference * difference * precisionBase.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                        }
                        best.replace(with: score, where: score .> best)
                    }
                    return best.max()
                }
            }
        }
    }

    /// The model's three feature streams per frame: cepstra (mean removed), deltas (c[t+2] - c[t-2])
    /// and second deltas ((c[t+3] - c[t-1]) - (c[t+1] - c[t-3])), ends repeated.
    private func streams(of speech: [Float], frameLength: Int, hopLength: Int) -> [[SIMD16<Float>]] {
        // The model was trained on 16-bit samples; its log floor (1e-5) only means the same at that scale.
        var samples = speech.map { $0 * 32_768 }
        if samples.count < frameLength { samples += [Float](repeating: 0, count: frameLength - samples.count) }
        for index in stride(from: samples.count - 1, to: 0, by: -1) { samples[index] -= 0.97 * samples[index - 1] }
        let frameCount = 1 + (samples.count - frameLength) / hopLength
        var cepstra = [SIMD16<Float>](repeating: SIMD16<Float>(), count: frameCount)
        var frame = [Float](repeating: 0, count: frameLength)
        let window = (0..<frameLength).map { Float(0.54 - 0.46 * cos(2 * Double.pi * Double($0) / Double(frameLength - 1))) }
        var power = [Float](repeating: 0, count: 257)
        var energies = [Float](repeating: 0, count: bandCount)
        var scratch = (real: [Float](repeating: 0, count: 512), imaginary: [Float](repeating: 0, count: 512))
        for index in 0..<frameCount {
            let start = index * hopLength
            for offset in 0..<frameLength { frame[offset] = samples[start + offset] * window[offset] }
            fft.powerSpectrum(of: frame, into: &power, scratch: &scratch)
            filterbank.energies(of: power, into: &energies)
            for band in 0..<bandCount { energies[band] = log(max(energies[band], 1e-5)) }
            for coefficient in 0..<Self.cepstrumCount {
                var sum: Float = 0
                for band in 0..<bandCount { sum += dct[coefficient * bandCount + band] * energies[band] }
                cepstra[index][coefficient] = sum
            }
        }
        let mean = cepstra.reduce(SIMD16<Float>(), +) / Float(max(1, frameCount))
        cepstra = cepstra.map { $0 - mean }
        func at(_ index: Int) -> SIMD16<Float> { cepstra[min(frameCount - 1, max(0, index))] }
        return (0..<frameCount).map { t in
            [cepstra[t], at(t + 2) - at(t - 2), (at(t + 3) - at(t - 1)) - (at(t + 1) - at(t - 3))]
        }
    }
}

/// The shipped phonetic model resource is not one this code reads.
struct PhoneticModelError: Error, CustomStringConvertible {
    var description: String { "the phonetic model resource is damaged or of another version" }
}
