import Foundation
import SpeechCommands
import Testing

@Suite("WAV decoding")
struct WAVDecoderTests {
    @Test("16-bit mono decodes to samples scaled to -1...1")
    func mono() throws {
        let audio = try WAVDecoder.decode(
            WAVBytes.make(frames: [[0], [16_384], [-32_768], [32_767]], sampleRate: 16_000)
        )
        #expect(audio.sampleRate == 16_000)
        #expect(audio.samples == [0, 0.5, -1, Float(32_767) / 32_768])
    }

    @Test("Stereo is mixed down to mono by averaging the channels")
    func stereo() throws {
        let audio = try WAVDecoder.decode(
            WAVBytes.make(frames: [[16_384, 0], [-16_384, -16_384], [32_767, -32_768]], sampleRate: 44_100)
        )
        #expect(audio.sampleRate == 44_100)
        #expect(audio.samples.count == 3)
        #expect(audio.samples[0] == 0.25)
        #expect(audio.samples[1] == -0.5)
        #expect(abs(audio.samples[2]) < 0.001)
    }

    @Test("Chunks other than fmt and data are skipped, odd sizes padded")
    func extraChunks() throws {
        var samples = Data()
        for sample: Int16 in [100, -100] { WAVBytes.append(UInt16(bitPattern: sample), to: &samples) }
        let bytes = WAVBytes.riff(chunks: [
            ("LIST", Data("odd".utf8)),
            ("fmt ", WAVBytes.formatChunk(channels: 1, sampleRate: 8_000)),
            ("data", samples),
        ])
        #expect(try WAVDecoder.decode(bytes).samples.count == 2)
    }

    @Test("A streaming-style data size (0xFFFFFFFF) reads to the end of the file")
    func streamingSize() throws {
        let bytes = WAVBytes.make(frames: [[1], [2], [3]], sampleRate: 16_000, declaredDataSize: 0xFFFF_FFFF)
        #expect(try WAVDecoder.decode(bytes).samples.count == 3)
    }

    @Test("Slices of larger Data decode (non-zero start index)")
    func slice() throws {
        let bytes = Data([9, 9, 9]) + WAVBytes.make(frames: [[1000]], sampleRate: 16_000)
        #expect(try WAVDecoder.decode(bytes.dropFirst(3)).samples.count == 1)
    }

    @Test(
        "Broken or unsupported files are rejected with a message saying why",
        arguments: [
            (Data("hello, world: definitely not audio".utf8), WAVDecodingError.Code.notWAV, "not a WAV file"),
            (Data(), .notWAV, "not a WAV file"),
            (
                WAVBytes.make(frames: [[1], [2]], sampleRate: 16_000, formatTag: 3, bitsPerSample: 32),
                .unsupportedFormat, "32-bit float"
            ),
            (WAVBytes.make(frames: [[1], [2]], sampleRate: 16_000, bitsPerSample: 24), .unsupportedFormat, "24-bit"),
            (WAVBytes.make(frames: [[1], [2]], sampleRate: 96_000), .unsupportedSampleRate, "96000 Hz"),
            (WAVBytes.make(frames: [], sampleRate: 16_000), .noSamples, "no audio samples"),
            (WAVBytes.make(frames: [[1], [2], [3], [4]], sampleRate: 16_000).dropLast(4), .truncated, "truncated"),
            (WAVBytes.make(frames: [[1]], sampleRate: 16_000).prefix(30), .truncated, "truncated"),
            (
                WAVBytes.riff(chunks: [("fmt ", WAVBytes.formatChunk(channels: 1, sampleRate: 16_000))]), .truncated,
                "no audio data"
            ),
        ]
    )
    func rejected(bytes: Data, code: WAVDecodingError.Code, phrase: String) {
        #expect {
            try WAVDecoder.decode(bytes)
        } throws: { error in
            guard let error = error as? WAVDecodingError else { return false }
            return error.code == code && error.description.contains(phrase)
        }
    }
}
