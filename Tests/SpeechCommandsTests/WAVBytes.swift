import Foundation

/// Builds WAV files byte by byte, so decoder tests control every header field.
enum WAVBytes {
    /// A canonical RIFF/WAVE file: `fmt ` then `data`, with the given header values.
    static func make(
        frames: [[Int16]],
        sampleRate: Int,
        formatTag: UInt16 = 1,
        bitsPerSample: UInt16 = 16,
        declaredDataSize: UInt32? = nil
    ) -> Data {
        let channels = frames.first?.count ?? 1
        var data = Data()
        for frame in frames {
            for sample in frame { append(UInt16(bitPattern: sample), to: &data) }
        }
        return riff(
            chunks: [
                (
                    "fmt ",
                    formatChunk(
                        channels: channels,
                        sampleRate: sampleRate,
                        formatTag: formatTag,
                        bitsPerSample: bitsPerSample
                    )
                ),
                ("data", data),
            ],
            dataSizeOverride: declaredDataSize
        )
    }

    /// A mono 16-bit file of `samples` in -1...1.
    static func mono(_ samples: [Float], sampleRate: Int) -> Data {
        make(frames: samples.map { [Int16(max(-1, min(1, $0)) * 32_767)] }, sampleRate: sampleRate)
    }

    /// `count` samples of a sine wave at `frequency` Hz.
    static func sine(frequency: Double, sampleRate: Int, count: Int, amplitude: Float = 0.5) -> [Float] {
        (0..<count).map { amplitude * Float(sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))) }
    }

    static func formatChunk(channels: Int, sampleRate: Int, formatTag: UInt16 = 1, bitsPerSample: UInt16 = 16) -> Data {
        var chunk = Data()
        let blockAlign = UInt16(channels) * bitsPerSample / 8
        append(formatTag, to: &chunk)
        append(UInt16(channels), to: &chunk)
        append(UInt32(sampleRate), to: &chunk)
        append(UInt32(sampleRate) * UInt32(blockAlign), to: &chunk)
        append(blockAlign, to: &chunk)
        append(bitsPerSample, to: &chunk)
        return chunk
    }

    /// Wraps chunks in a RIFF/WAVE header; `dataSizeOverride` lies about the `data` chunk size.
    static func riff(chunks: [(String, Data)], dataSizeOverride: UInt32? = nil) -> Data {
        var body = Data("WAVE".utf8)
        for (id, chunk) in chunks {
            body += Data(id.utf8)
            append(id == "data" ? (dataSizeOverride ?? UInt32(chunk.count)) : UInt32(chunk.count), to: &body)
            body += chunk
            if chunk.count % 2 == 1 { body.append(0) }
        }
        var file = Data("RIFF".utf8)
        append(UInt32(body.count), to: &file)
        return file + body
    }

    static func append<Value: FixedWidthInteger>(_ value: Value, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}
