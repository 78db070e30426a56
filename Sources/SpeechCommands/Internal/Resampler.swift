import Foundation

/// Band-limited sample-rate conversion (windowed-sinc interpolation).
///
/// Plain linear interpolation would fold energy above the new Nyquist frequency back into the
/// speech band when downsampling 44.1/48 kHz clips, making them sound different to the
/// recognizer from the 16 kHz clips it was trained on; a low-pass sinc kernel avoids that.
/// The kernel is tabulated once, so each output sample costs one table read per tap.
struct Resampler: Sendable {
    /// Zero crossings of the sinc on each side: 8 keeps the pass band flat to about 90% of Nyquist.
    private static let zeroCrossings = 8
    /// Table entries per input sample of kernel offset; linear interpolation covers the rest.
    private static let tableResolution = 64

    let inputRate: Int
    let outputRate: Int
    private let halfWidth: Double  // kernel reach, in input samples
    private let table: [Float]

    init(from inputRate: Int, to outputRate: Int) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        let cutoff = min(1, Double(outputRate) / Double(inputRate))  // relative to the input Nyquist
        let halfWidth = Double(Self.zeroCrossings) / cutoff
        self.halfWidth = halfWidth
        let count = Int(halfWidth * Double(Self.tableResolution)) + 2
        table = (0..<count).map { index in
            let x = Double(index) / Double(Self.tableResolution)
            guard x < halfWidth else { return 0 }
            let argument = Double.pi * x * cutoff
            let sinc = x == 0 ? 1 : sin(argument) / argument
            let hann = 0.5 + 0.5 * cos(Double.pi * x / halfWidth)
            return Float(cutoff * sinc * hann)
        }
    }

    func resample(_ samples: [Float]) -> [Float] {
        // A non-positive rate is meaningless; passing the samples through beats dividing by zero.
        guard inputRate != outputRate, inputRate > 0, outputRate > 0, !samples.isEmpty else { return samples }
        let step = Double(inputRate) / Double(outputRate)
        let outputCount = max(1, Int((Double(samples.count) / step).rounded()))
        let last = samples.count - 1
        let resolution = Float(Self.tableResolution)
        var output = [Float](repeating: 0, count: outputCount)
        samples.withUnsafeBufferPointer { input in
            table.withUnsafeBufferPointer { kernel in
                for index in 0..<outputCount {
                    let center = Double(index) * step
                    let first = max(0, Int((center - halfWidth).rounded(.up)))
                    let end = min(last, Int((center + halfWidth).rounded(.down)))
                    guard first <= end else { continue }
                    var sum: Float = 0
                    for k in first...end {
                        let position = Float(abs(Double(k) - center)) * resolution
                        let slot = Int(position)
                        let fraction = position - Float(slot)
                        let weight = kernel[slot] + (kernel[slot + 1] - kernel[slot]) * fraction
                        sum += input[k] * weight
                    }
                    output[index] = sum
                }
            }
        }
        return output
    }
}
