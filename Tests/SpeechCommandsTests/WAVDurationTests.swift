import Foundation
import SpeechCommands
import Testing

@Suite("WAV duration from the header")
struct WAVDurationTests {
    @Test("the duration comes from the header, for any rate and channel count; nil when the header cannot say")
    func fromHeader() {
        let mono = WAVBytes.make(frames: Array(repeating: [0], count: 24_000), sampleRate: 16_000)
        #expect(WAVDuration.seconds(of: mono) == 1.5)
        let stereo = WAVBytes.make(frames: Array(repeating: [0, 0], count: 8_000), sampleRate: 8_000)
        #expect(WAVDuration.seconds(of: stereo) == 1)
        #expect(WAVDuration.seconds(of: Data("not a wav file".utf8)) == nil)
    }

    @Test("one wording of a length everywhere: whole seconds without a decimal, otherwise one decimal")
    func wording() {
        #expect(WAVDuration.describe(12) == "12 s")
        #expect(WAVDuration.describe(9.94) == "9.9 s")
        #expect(WAVDuration.describe(9.96) == "10 s")
    }
}
