import Foundation

/// Cuts leading and trailing silence (and steady background noise) from a clip.
///
/// Template matching compares whole clips, so half a second of room noise before a word would
/// be matched as if it were speech. A 10 ms frame counts as speech when it is within
/// `rangeDecibels` of the loudest frame and clearly above the quietest (noise floor) frames.
enum SilenceTrimmer {
    private static let frameLength = 160  // 10 ms at 16 kHz
    /// Speech frames must be this far above the noise floor, so a noisy clip is not kept whole.
    private static let marginOverFloorDecibels: Float = 10
    /// Frames kept either side of the detected speech, for soft onsets and releases.
    private static let paddingFrames = 2

    static func trim(_ samples: [Float], rangeDecibels: Float) -> ArraySlice<Float> {
        let frameCount = samples.count / frameLength
        guard frameCount > 2 * paddingFrames + 1 else { return samples[...] }
        let levels = (0..<frameCount).map { frame -> Float in
            var energy: Float = 0
            for sample in samples[frame * frameLength..<(frame + 1) * frameLength] {
                energy += sample * sample
            }
            return 10 * log10(energy / Float(frameLength) + 1e-12)
        }
        let sortedLevels = levels.sorted()
        let loudest = sortedLevels[frameCount - 1]
        let noiseFloor = sortedLevels[frameCount / 10]
        let threshold = max(loudest - rangeDecibels, min(noiseFloor + marginOverFloorDecibels, loudest - 6))
        guard let first = levels.firstIndex(where: { $0 >= threshold }),
            let last = levels.lastIndex(where: { $0 >= threshold })
        else { return samples[...] }
        let start = max(0, first - paddingFrames) * frameLength
        let end = min(samples.count, (last + 1 + paddingFrames) * frameLength)
        return samples[start..<end]
    }
}
