import Foundation
import SpeechCommands

/// The clips benchmarks use: the example service's shipped dataset (`<word>/<clip>.wav`).
enum SpeechData {
    /// `Sources/stt-service/DefaultDataset` of this checkout.
    static var defaultDataset: URL {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "stt-service/DefaultDataset", directoryHint: .isDirectory)
    }

    /// Every shipped clip as (word, file).
    static func clips() throws -> [(word: String, file: URL)] {
        let words = try FileManager.default.contentsOfDirectory(at: defaultDataset, includingPropertiesForKeys: nil)
            .filter { $0.hasDirectoryPath }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try words.flatMap { word in
            try FileManager.default.contentsOfDirectory(at: word, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "wav" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
                .map { (word.lastPathComponent, $0) }
        }
    }

    /// A `<word>/<n>.wav` folder of `count` clips, cycling through the shipped ones.
    static func datasetDirectory(clipCount count: Int, at directory: URL) throws {
        let clips = try clips()
        for index in 0..<count {
            let (word, file) = clips[index % clips.count]
            let folder = directory.appending(path: word, directoryHint: .isDirectory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: file, to: folder.appending(path: "\(index).wav"))
        }
    }

    /// A clip of `seconds`: the shipped `clip` repeated, as 16-bit mono PCM WAV at its own rate.
    static func longClip(from clip: URL, seconds: Double) throws -> Data {
        let audio = try WAVDecoder.decode(try Data(contentsOf: clip))
        let total = Int(seconds * Double(audio.sampleRate))
        var pcm = Data(capacity: total * 2)
        for index in 0..<total {
            let sample = audio.samples[index % audio.samples.count]
            let value = Int16(clamping: Int((max(-1, min(1, sample)) * 32767).rounded()))
            withUnsafeBytes(of: value.littleEndian) { pcm.append(contentsOf: $0) }
        }
        return wavHeader(dataBytes: pcm.count, sampleRate: audio.sampleRate) + pcm
    }

    private static func wavHeader(dataBytes: Int, sampleRate: Int) -> Data {
        var header = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: Array("RIFF".utf8))
        append(UInt32(36 + dataBytes))
        header.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16))  // fmt chunk size
        append(UInt16(1))  // PCM
        append(UInt16(1))  // mono
        append(UInt32(sampleRate))
        append(UInt32(sampleRate * 2))  // byte rate
        append(UInt16(2))  // block align
        append(UInt16(16))  // bits per sample
        header.append(contentsOf: Array("data".utf8))
        append(UInt32(dataBytes))
        return header
    }
}
