import Foundation
import SpeechCommands
import Testing

/// Recognition must not depend on the recording's sample rate: a held-out speaker's word
/// decoded from an 8 kHz or 44.1 kHz file has to come out as it does at 16 kHz.
@Suite("Sample-rate handling")
struct ResamplingTests {
    @Test(
        "Held-out clips resampled to 8, 44.1 and 48 kHz (as WAV files) are still recognised",
        arguments: [8_000, 44_100, 48_000]
    )
    func resampledClipsRecognised(rate: Int) async throws {
        let model = try await ShippedDataset.modelWithoutHeldOutVoices()
        for word in ["stop", "yes", "left", "go"] {
            let original = try ShippedDataset.clip(word: word, speaker: "en-gb-scotland-m3")
            let samples = TestResampler.resample(original.samples, from: original.sampleRate, to: rate)
            let wav = WAVBytes.mono(samples, sampleRate: rate)
            #expect(try WAVDecoder.decode(wav).sampleRate == rate)
            #expect(try model.recognize(wav: wav).word == word, "\(word) at \(rate) Hz")
        }
    }

    @Test("Decoding keeps the recorded rate and duration of 8 kHz and 44.1 kHz files", arguments: [8_000, 44_100])
    func decodedRate(rate: Int) throws {
        let wav = WAVBytes.mono(WAVBytes.sine(frequency: 1_000, sampleRate: rate, count: rate / 2), sampleRate: rate)
        let audio = try WAVDecoder.decode(wav)
        #expect(audio.sampleRate == rate)
        #expect(abs(audio.duration - 0.5) < 0.001)
        let crossings = zip(audio.samples, audio.samples.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(abs(crossings - 1_000) <= 2)
    }
}
