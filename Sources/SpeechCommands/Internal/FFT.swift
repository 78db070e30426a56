import Foundation

/// An in-place iterative radix-2 FFT of a fixed power-of-two size, with the twiddle factors and
/// bit-reversal order computed once so a frame costs only the butterflies.
struct FFT: Sendable {
    let size: Int
    private let cosines: [Float]
    private let sines: [Float]
    private let reversed: [Int]

    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        cosines = (0..<size / 2).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        sines = (0..<size / 2).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { index in
            var result = 0
            for bit in 0..<bits where index & (1 << bit) != 0 {
                result |= 1 << (bits - 1 - bit)
            }
            return result
        }
    }

    /// Power spectrum |X(k)|^2 for k in 0...size/2 of a real frame (zero-padded to `size`).
    func powerSpectrum(of frame: [Float], into power: inout [Float], scratch: inout (real: [Float], imaginary: [Float])) {
        for index in 0..<size {
            scratch.real[reversed[index]] = index < frame.count ? frame[index] : 0
            scratch.imaginary[index] = 0
        }
        transformInPlace(&scratch.real, &scratch.imaginary)
        for bin in 0...size / 2 {
            power[bin] = scratch.real[bin] * scratch.real[bin] + scratch.imaginary[bin] * scratch.imaginary[bin]
        }
    }

    /// Butterflies over data already in bit-reversed order.
    private func transformInPlace(_ real: inout [Float], _ imaginary: inout [Float]) {
        var span = 1
        while span < size {
            let twiddleStride = size / (2 * span)
            var start = 0
            while start < size {
                for offset in 0..<span {
                    let cosine = cosines[offset * twiddleStride]
                    let sine = sines[offset * twiddleStride]
                    let top = start + offset
                    let bottom = top + span
                    let rotatedReal = real[bottom] * cosine - imaginary[bottom] * sine
                    let rotatedImaginary = real[bottom] * sine + imaginary[bottom] * cosine
                    real[bottom] = real[top] - rotatedReal
                    imaginary[bottom] = imaginary[top] - rotatedImaginary
                    real[top] += rotatedReal
                    imaginary[top] += rotatedImaginary
                }
                start += 2 * span
            }
            span *= 2
        }
    }
}
