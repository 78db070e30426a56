/// How clips become feature sequences. A trained model stores these so recognition always
/// extracts features exactly as training did.
///
/// The defaults are the usual speech front end: 25 ms Hamming frames every 10 ms, 26 mel bands
/// from 60 Hz to 4.5 kHz, 13 cepstra plus deltas. Measured with scripts/evaluate-recognizer.sh
/// (other engines, 8-48 kHz clips): bands up to 4.5 kHz instead of 7.6 kHz took clips of other
/// engines from 66% to 71% right (what sits above 4.5 kHz differs most between engines, and
/// 8 kHz clips have nothing there); per-clip variance normalisation, 8 or 10
/// cepstra, doubled deltas, dropping c0, a sinusoidal lifter, speed-perturbed copies, a 25 or 45 dB
/// trim range and a 40 or 60 dB floor did not help (each lost on one test group what it gained on another).
package struct FeatureOptions: Sendable, Hashable {
    var sampleRate = 16_000
    var frameLength = 400  // 25 ms
    var hopLength = 160  // 10 ms
    var fftSize = 512
    package var melBandCount = 26
    package var lowFrequency: Float = 60
    package var highFrequency: Float = 4_500
    package var cepstrumCount = 13
    var includesDeltas = true
    var preEmphasis: Float = 0.97
    /// Frames quieter than the loudest by more than this are trimmed from the ends.
    package var trimRangeDecibels: Float = 35
    /// Band energies more than this far below the clip's loudest band are raised to that level.
    /// 50 dB measured best: 30-40 dB erased detail clean clips need, no floor let noise dominate.
    package var dynamicRangeDecibels: Float = 50
    /// Mel filter edges are multiplied by this (vocal-tract length perturbation): 1 for recognition,
    /// other values give training copies that sound like shorter or longer vocal tracts.
    package var warpFactor: Float = 1

    package static let defaults = FeatureOptions()

    var dimension: Int { includesDeltas ? 2 * cepstrumCount : cepstrumCount }
}
