import Foundation

/// Turns audio into normalised MFCC (+ delta) sequences: resample, remove DC, trim silence,
/// pre-emphasise, frame with a Hamming window, FFT, log mel energies, DCT to cepstra, subtract
/// each cepstrum's mean over the clip, append deltas.
///
/// Subtracting the per-clip mean removes fixed channel and vocal-tract colouring (microphone,
/// speaker), which is most of what separates voices; deltas describe how the sound moves,
/// which is largely speaker independent.
struct FeatureExtractor: Sendable {
    let options: FeatureOptions
    private let fft: FFT
    private let filterbank: MelFilterbank
    private let window: [Float]
    private let dct: [Float]  // cepstrumCount x melBandCount, row-major

    init(options: FeatureOptions) {
        self.options = options
        fft = FFT(size: options.fftSize)
        filterbank = MelFilterbank(
            bandCount: options.melBandCount,
            fftSize: options.fftSize,
            sampleRate: options.sampleRate,
            lowFrequency: Double(options.lowFrequency * options.warpFactor),
            highFrequency: Double(options.highFrequency * options.warpFactor)
        )
        window = (0..<options.frameLength).map {
            Float(0.54 - 0.46 * cos(2 * Double.pi * Double($0) / Double(options.frameLength - 1)))
        }
        let bands = options.melBandCount
        dct = (0..<options.cepstrumCount * bands).map { index in
            let (coefficient, band) = index.quotientAndRemainder(dividingBy: bands)
            return Float(
                sqrt(2 / Double(bands)) * cos(Double.pi * Double(coefficient) * (Double(band) + 0.5) / Double(bands))
            )
        }
    }

    func features(of audio: PCMAudio) -> FeatureSequence {
        features(ofPrepared: prepared(audio))
    }

    /// The clip at the feature sample rate with its DC offset removed: the first step of
    /// `features(of:)`, separate so copies of one clip (and speech detection) share it.
    func prepared(_ audio: PCMAudio) -> [Float] {
        var samples = Resampler(from: audio.sampleRate, to: options.sampleRate).resample(audio.samples)
        let mean = samples.isEmpty ? 0 : samples.reduce(0, +) / Float(samples.count)
        for index in samples.indices { samples[index] -= mean }
        return samples
    }

    /// Features of samples that `prepared(_:)` returned (possibly altered, e.g. with noise added).
    func features(ofPrepared samples: [Float]) -> FeatureSequence {
        features(ofSpeech: speech(ofPrepared: samples))
    }

    /// The part of prepared samples that features describe: leading and trailing silence cut.
    func speech(ofPrepared samples: [Float]) -> [Float] {
        Array(SilenceTrimmer.trim(samples, rangeDecibels: options.trimRangeDecibels))
    }

    /// Features of samples that `speech(ofPrepared:)` returned.
    func features(ofSpeech trimmed: [Float]) -> FeatureSequence {
        var speech = trimmed
        if speech.count < options.frameLength {
            speech += [Float](repeating: 0, count: options.frameLength - speech.count)
        }
        for index in stride(from: speech.count - 1, to: 0, by: -1) {
            speech[index] -= options.preEmphasis * speech[index - 1]
        }
        let cepstra = self.cepstra(of: speech)
        return normalisedWithDeltas(cepstra)
    }

    /// Raw cepstra, frame by frame: frameCount x cepstrumCount.
    private func cepstra(of speech: [Float]) -> (frameCount: Int, values: [Float]) {
        let frameCount = 1 + (speech.count - options.frameLength) / options.hopLength
        let bands = options.melBandCount
        var energies = [Float](repeating: 0, count: frameCount * bands)
        var frame = [Float](repeating: 0, count: options.frameLength)
        var power = [Float](repeating: 0, count: options.fftSize / 2 + 1)
        var bandEnergies = [Float](repeating: 0, count: bands)
        var scratch = (
            real: [Float](repeating: 0, count: options.fftSize),
            imaginary: [Float](repeating: 0, count: options.fftSize)
        )
        for frameIndex in 0..<frameCount {
            let start = frameIndex * options.hopLength
            for offset in 0..<options.frameLength {
                frame[offset] = speech[start + offset] * window[offset]
            }
            fft.powerSpectrum(of: frame, into: &power, scratch: &scratch)
            filterbank.energies(of: power, into: &bandEnergies)
            energies.replaceSubrange(frameIndex * bands..<(frameIndex + 1) * bands, with: bandEnergies)
        }
        // A floor a fixed distance below the clip's loudest band: clean recordings have bands
        // near digital silence whose logs would be huge and arbitrary, noisy ones have them at
        // the noise level; flooring both to the same relative level makes them comparable.
        let loudest = energies.max() ?? 0
        let floor = max(loudest * pow(10, -options.dynamicRangeDecibels / 10), 1e-10)
        let count = options.cepstrumCount
        var values = [Float](repeating: 0, count: frameCount * count)
        for frameIndex in 0..<frameCount {
            for band in 0..<bands {
                bandEnergies[band] = log(energies[frameIndex * bands + band] + floor)
            }
            for coefficient in 0..<count {
                var sum: Float = 0
                for band in 0..<bands {
                    sum += dct[coefficient * bands + band] * bandEnergies[band]
                }
                values[frameIndex * count + coefficient] = sum
            }
        }
        return (frameCount, values)
    }

    /// Per-clip mean subtraction, then deltas by the standard +-2 frame regression.
    private func normalisedWithDeltas(_ cepstra: (frameCount: Int, values: [Float])) -> FeatureSequence {
        let frameCount = cepstra.frameCount
        let count = options.cepstrumCount
        var values = cepstra.values
        for coefficient in 0..<count {
            var mean: Float = 0
            for frame in 0..<frameCount { mean += values[frame * count + coefficient] }
            mean /= Float(frameCount)
            for frame in 0..<frameCount { values[frame * count + coefficient] -= mean }
        }
        guard options.includesDeltas else {
            return FeatureSequence(frameCount: frameCount, dimension: count, values: values)
        }
        let dimension = 2 * count
        var output = [Float](repeating: 0, count: frameCount * dimension)
        for frame in 0..<frameCount {
            for coefficient in 0..<count {
                func value(_ offset: Int) -> Float {
                    values[min(frameCount - 1, max(0, frame + offset)) * count + coefficient]
                }
                output[frame * dimension + coefficient] = value(0)
                output[frame * dimension + count + coefficient] =
                    ((value(1) - value(-1)) + 2 * (value(2) - value(-2))) / 10
            }
        }
        return FeatureSequence(frameCount: frameCount, dimension: dimension, values: output)
    }
}
