import Foundation

/// Tells a clip with no speech in it (silence, hum, steady noise) from one with a word.
///
/// A spoken word is much louder than the pauses around it and than the room; silence is either
/// quiet throughout or, for steady noise, about as loud everywhere. So a clip holds speech when
/// its loudest 10 ms frame is above an absolute floor and well above its quietest frames.
enum SpeechDetector {
    private static let frameLength = 160  // 10 ms at 16 kHz
    /// About 16 LSB RMS of 16-bit audio: below this the loudest frame is a muted microphone.
    static let minimumLoudestDecibels: Float = -66
    /// The loudest frame must stand this far above the 10th-percentile frame.
    static let minimumRangeDecibels: Float = 10

    /// Whether `samples` (16 kHz, DC removed) contain a louder event than their background.
    static func containsSpeech(_ samples: [Float]) -> Bool {
        let frameCount = samples.count / frameLength
        guard frameCount >= 1 else { return false }
        let levels = (0..<frameCount).map { frame -> Float in
            var energy: Float = 0
            for sample in samples[frame * frameLength..<(frame + 1) * frameLength] { energy += sample * sample }
            return 10 * log10(energy / Float(frameLength) + 1e-12)
        }.sorted()
        let loudest = levels[frameCount - 1]
        let background = levels[frameCount / 10]
        // One or two frames cannot hold a word; they carry no background to compare with either.
        guard frameCount >= 5 else { return loudest >= minimumLoudestDecibels }
        return loudest >= minimumLoudestDecibels && loudest - background >= minimumRangeDecibels
    }
}
