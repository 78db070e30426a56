/// Mono audio as floating-point samples, nominally in -1...1, at a known sample rate.
///
/// ```swift
/// let audio = try WAVDecoder.decode(wavBytes)
/// print(audio.sampleRate, audio.duration)
/// ```
public struct PCMAudio: Sendable, Hashable {
    /// The samples, one per tick of `sampleRate`; 16-bit PCM maps to -1...1.
    public var samples: [Float]
    /// Samples per second, for example 16 000.
    public var sampleRate: Int

    /// Wraps samples recorded at `sampleRate` samples per second.
    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Length in seconds (0 when `sampleRate` is not positive).
    public var duration: Double {
        sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0
    }
}
