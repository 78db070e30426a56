import Foundation
import TrainingTesting

/// Datasets a hostile or careless consumer uploads to the example service, each refused at upload
/// or at validation: a decompression bomb, a path escaping the dataset, bytes that are no archive,
/// clips that are no audio, more files than allowed, a clip longer than allowed.
enum HostileArchives {
    static func write(in directory: URL, quick: Bool) throws -> [(name: String, file: URL)] {
        let clip = try Data(contentsOf: try SpeechData.clips()[0].file)
        var archives: [(String, URL)] = []
        func zip(_ name: String, _ entries: [String: Data]) throws {
            let url = directory.appending(path: "\(name).zip")
            try ArchiveBuilder.zip(entries, at: url)
            archives.append((name, url))
        }
        try zip("decompression bomb", ["yes/bomb.wav": Data(count: (quick ? 16 : 64) << 20), "no/1.wav": clip])
        try zip("path traversal", ["../../escape/1.wav": clip, "yes/1.wav": clip, "no/1.wav": clip])
        try zip("clips that are not audio", ["yes/1.wav": Data(repeating: 0x5A, count: 4096), "no/1.wav": Data("RIFF".utf8)])
        try zip("more files than allowed", Dictionary(uniqueKeysWithValues: (0..<5_001).map { ("w\($0 % 2)/\($0).wav", Data([1])) }))
        let long = try SpeechData.longClip(from: try SpeechData.clips()[0].file, seconds: 60)
        try zip("a 60 s clip", ["yes/long.wav": long, "no/1.wav": clip])
        let garbage = directory.appending(path: "not an archive.zip")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: garbage)
        archives.append(("bytes that are no archive", garbage))
        return archives
    }
}
