import Foundation

/// Adds white noise at a chosen signal-to-noise ratio, reproducibly.
///
/// Training on clean clips alone teaches the recognizer that silence is digital zero; real
/// microphones never deliver that, and clean-trained templates then match noisy speech badly.
/// Noisy copies of the training clips close most of that gap.
struct NoiseMixer: Sendable {
    /// A small linear congruential generator (Knuth's MMIX constants): the same seed gives the
    /// same noise on every platform, so training is deterministic.
    private struct Generator {
        var state: UInt64
        mutating func nextUniform() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1  // -1..<1
        }
    }

    var signalToNoiseDecibels: Float

    /// `audio` plus uniform white noise whose power is `signalToNoiseDecibels` below the clip's
    /// average power; `seed` picks the noise.
    func mixed(_ audio: PCMAudio, seed: UInt64) -> PCMAudio {
        guard !audio.samples.isEmpty else { return audio }
        let power = audio.samples.reduce(Float(0)) { $0 + $1 * $1 } / Float(audio.samples.count)
        // Uniform noise in -a...a has power a^2 / 3.
        let amplitude = (3 * power / pow(10, signalToNoiseDecibels / 10)).squareRoot()
        var generator = Generator(state: seed &+ 0x9E37_79B9_7F4A_7C15)
        return PCMAudio(
            samples: audio.samples.map { $0 + amplitude * generator.nextUniform() },
            sampleRate: audio.sampleRate
        )
    }
}
