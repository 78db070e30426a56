import Foundation

/// Triangular filters spaced evenly on the mel scale (HTK formula), applied to a power spectrum.
///
/// Mel spacing gives low frequencies, where vowels differ, finer resolution than the fricative
/// range; this is what makes cepstra far more speaker-robust than raw spectra.
struct MelFilterbank: Sendable {
    /// One filter: the first FFT bin it touches and its weights from there on.
    private struct Filter: Sendable {
        var firstBin: Int
        var weights: [Float]
    }

    private let filters: [Filter]
    var count: Int { filters.count }

    /// `unitArea` scales each filter to area 1 (weights x 2 / width in Hz), as CMU Sphinx's front end does.
    init(bandCount: Int, fftSize: Int, sampleRate: Int, lowFrequency: Double, highFrequency: Double, unitArea: Bool = false) {
        func mel(_ hertz: Double) -> Double { 2595 * log10(1 + hertz / 700) }
        func hertz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }
        let lowMel = mel(lowFrequency)
        let highMel = mel(min(highFrequency, Double(sampleRate) / 2))
        let edges = (0...bandCount + 1).map {
            hertz(lowMel + (highMel - lowMel) * Double($0) / Double(bandCount + 1))
        }
        let binWidth = Double(sampleRate) / Double(fftSize)
        filters = (0..<bandCount).map { band in
            let (left, center, right) = (edges[band], edges[band + 1], edges[band + 2])
            let scale = unitArea ? 2 / (right - left) : 1
            let firstBin = Int((left / binWidth).rounded(.up))
            let lastBin = min(fftSize / 2, Int((right / binWidth).rounded(.down)))
            let weights =
                firstBin <= lastBin
                ? (firstBin...lastBin).map { bin -> Float in
                    let frequency = Double(bin) * binWidth
                    let weight =
                        frequency <= center
                        ? (frequency - left) / (center - left) : (right - frequency) / (right - center)
                    return Float(max(0, weight) * scale)
                }
                : []
            return Filter(firstBin: firstBin, weights: weights)
        }
    }

    /// Each band's energy (linear power).
    func energies(of power: [Float], into output: inout [Float]) {
        for (band, filter) in filters.enumerated() {
            var energy: Float = 0
            for (offset, weight) in filter.weights.enumerated() {
                energy += power[filter.firstBin + offset] * weight
            }
            output[band] = energy
        }
    }
}
