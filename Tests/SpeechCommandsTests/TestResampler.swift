import Foundation

/// A slow but straightforward windowed-sinc resampler, independent of the library's own, used to
/// make 8 kHz and 44.1 kHz versions of the shipped 16 kHz clips.
enum TestResampler {
    static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int) -> [Float] {
        let ratio = Double(outputRate) / Double(inputRate)
        let cutoff = min(1, ratio)
        let reach = 16.0 / cutoff
        return (0..<Int(Double(samples.count) * ratio)).map { index in
            let center = Double(index) / ratio
            var sum = 0.0
            for k in max(0, Int(center - reach))...min(samples.count - 1, Int(center + reach)) {
                let x = Double(k) - center
                let sinc = x == 0 ? 1 : sin(Double.pi * x * cutoff) / (Double.pi * x * cutoff)
                let window = abs(x) < reach ? 0.5 + 0.5 * cos(Double.pi * x / reach) : 0
                sum += Double(samples[k]) * cutoff * sinc * window
            }
            return Float(sum)
        }
    }
}
