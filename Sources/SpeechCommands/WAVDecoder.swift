public import Foundation

/// Reads PCM 16-bit WAV files (mono or multi-channel) into mono `PCMAudio`.
///
/// Channels are averaged, samples scaled to -1...1, the sample rate kept as recorded (the
/// recognizer resamples internally). Both plain PCM and WAVE_FORMAT_EXTENSIBLE-with-PCM headers
/// are accepted; chunks other than `fmt ` and `data` are skipped.
///
/// ```swift
/// let audio = try WAVDecoder.decode(try Data(contentsOf: url))
/// ```
public enum WAVDecoder {
    /// Sample rates accepted, in Hz: telephone quality up to studio quality.
    public static let supportedSampleRates: ClosedRange<Int> = 8_000...48_000

    private static let expectation = "expected RIFF/WAVE PCM 16-bit"

    /// Decodes a whole WAV file.
    /// - Throws: `WAVDecodingError` saying what is wrong with the bytes.
    public static func decode(_ data: Data) throws -> PCMAudio {
        try data.withUnsafeBytes { try decode(bytes: $0) }
    }

    private static func decode(bytes: UnsafeRawBufferPointer) throws -> PCMAudio {
        guard bytes.count >= 12, tag(bytes, 0) == "RIFF", tag(bytes, 8) == "WAVE" else {
            throw WAVDecodingError(code: .notWAV, message: "not a WAV file (\(expectation))")
        }
        var format: Format?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = tag(bytes, offset)
            let size = Int(uint32(bytes, offset + 4))
            let body = offset + 8
            switch id {
            case "fmt ":
                guard body + size <= bytes.count else {
                    throw WAVDecodingError(
                        code: .truncated,
                        message: "truncated WAV file: the format header is cut off"
                    )
                }
                format = try Format(bytes, body: body, size: size)
            case "data":
                guard let format else {
                    throw WAVDecodingError(
                        code: .unsupportedFormat,
                        message: "malformed WAV file: audio data comes before the format header (\(expectation))"
                    )
                }
                let available = bytes.count - body
                // Streaming writers leave 0 or 0xFFFFFFFF when the length was unknown up front.
                let isPlaceholder = size == 0 || size == 0xFFFF_FFFF
                if size > available && !isPlaceholder {
                    throw WAVDecodingError(
                        code: .truncated,
                        message:
                            "truncated WAV file: it declares \(size) bytes of audio but only \(available) are present"
                    )
                }
                return try samples(bytes, body: body, byteCount: isPlaceholder ? available : size, format: format)
            default:
                break
            }
            offset = body + size + (size & 1)  // chunks are padded to an even length
        }
        if format == nil {
            throw WAVDecodingError(
                code: .truncated,
                message: "truncated or malformed WAV file: no format header (\(expectation))"
            )
        }
        throw WAVDecodingError(code: .truncated, message: "truncated WAV file: no audio data chunk")
    }

    private static func samples(
        _ bytes: UnsafeRawBufferPointer,
        body: Int,
        byteCount: Int,
        format: Format
    ) throws -> PCMAudio {
        let channels = format.channels
        let frameCount = byteCount / (2 * channels)  // a trailing partial frame is dropped
        guard frameCount > 0 else {
            throw WAVDecodingError(code: .noSamples, message: "WAV file contains no audio samples")
        }
        var samples = [Float](repeating: 0, count: frameCount)
        let scale = 1 / (32_768 * Float(channels))
        for frame in 0..<frameCount {
            var sum: Int32 = 0
            let base = body + frame * 2 * channels
            for channel in 0..<channels {
                sum += Int32(int16(bytes, base + 2 * channel))
            }
            samples[frame] = Float(sum) * scale
        }
        return PCMAudio(samples: samples, sampleRate: format.sampleRate)
    }

    /// The parts of the `fmt ` chunk the decoder needs, validated.
    private struct Format {
        var channels: Int
        var sampleRate: Int

        init(_ bytes: UnsafeRawBufferPointer, body: Int, size: Int) throws {
            guard size >= 16 else {
                throw WAVDecodingError(
                    code: .unsupportedFormat,
                    message: "malformed WAV file: the format header is too short"
                )
            }
            var formatTag = uint16(bytes, body)
            // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
            if formatTag == 0xFFFE && size >= 26 {
                formatTag = uint16(bytes, body + 24)
            }
            let channels = Int(uint16(bytes, body + 2))
            let sampleRate = Int(uint32(bytes, body + 4))
            let bitsPerSample = Int(uint16(bytes, body + 14))
            guard formatTag == 1 else {
                throw WAVDecodingError(
                    code: .unsupportedFormat,
                    message:
                        "unsupported WAV encoding (\(WAVDecoder.encodingName(formatTag))); \(WAVDecoder.expectation) -- re-export the clip as 16-bit PCM"
                )
            }
            guard bitsPerSample == 16 else {
                throw WAVDecodingError(
                    code: .unsupportedFormat,
                    message:
                        "unsupported WAV sample size (\(bitsPerSample)-bit PCM); \(WAVDecoder.expectation) -- re-export the clip as 16-bit PCM"
                )
            }
            guard channels > 0 else {
                throw WAVDecodingError(
                    code: .unsupportedFormat,
                    message: "malformed WAV file: the format header declares 0 channels"
                )
            }
            guard WAVDecoder.supportedSampleRates.contains(sampleRate) else {
                let range = WAVDecoder.supportedSampleRates
                throw WAVDecodingError(
                    code: .unsupportedSampleRate,
                    message:
                        "unsupported sample rate \(sampleRate) Hz; expected \(range.lowerBound)-\(range.upperBound) Hz (16000 is ideal)"
                )
            }
            self.channels = channels
            self.sampleRate = sampleRate
        }
    }

    private static func encodingName(_ formatTag: UInt16) -> String {
        switch formatTag {
        case 2: "ADPCM"
        case 3: "32-bit float"
        case 6: "A-law"
        case 7: "mu-law"
        case 0x55: "MP3"
        default: "format code \(formatTag)"
        }
    }

    private static func tag(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> String {
        String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
    }

    private static func uint16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    private static func int16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Int16 {
        Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self))
    }

    private static func uint32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
