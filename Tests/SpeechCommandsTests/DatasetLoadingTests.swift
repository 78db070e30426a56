import Foundation
import SpeechCommands
import Testing

@Suite("Dataset loading")
struct DatasetLoadingTests {
    @Test("The shipped default dataset loads: 10 words, 24 clips each")
    func shippedDataset() throws {
        let dataset = try SpeechCommandDataset.load(from: ShippedDataset.root)
        #expect(dataset.words == ["down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes"])
        #expect(dataset.clipCount == 240)
        #expect(dataset.clipsPerWord.values.allSatisfy { $0 == 24 })
    }

    @Test("Hidden files and __MACOSX folders are ignored; stereo and 44.1 kHz clips load")
    func ignoresArchiverDebris() throws {
        let folder = try TemporaryDataset()
        try folder.write("yes/a.wav", TemporaryDataset.toneWAV)
        try folder.write("yes/.DS_Store", Data([0, 1, 2]))
        try folder.write("yes/._a.wav", Data("resource fork".utf8))
        try folder.write(
            "no/b.wav",
            WAVBytes.make(frames: (0..<4_000).map { [Int16($0 % 200) * 50, 0] }, sampleRate: 44_100)
        )
        try folder.write(".DS_Store", Data([0]))
        try folder.write("__MACOSX/yes/._a.wav", Data([0]))
        let dataset = try SpeechCommandDataset.load(from: folder.root)
        #expect(dataset.words == ["no", "yes"])
        #expect(dataset.clipsPerWord == ["no": 1, "yes": 1])
    }

    @Test("Every problem is reported at once, each with its path and a reason")
    func reportsAllProblems() throws {
        let folder = try TemporaryDataset()
        try folder.write("yes/good.wav", TemporaryDataset.toneWAV)
        try folder.write("yes/notes.txt", Data("recorded on Tuesday".utf8))
        try folder.write("yes/clip3.wav", Data("this is not audio at all".utf8))
        try folder.write("yes/cut.wav", TemporaryDataset.toneWAV.prefix(1_000))
        try folder.write("yes/quiet.wav", WAVBytes.mono([Float](repeating: 0, count: 8_000), sampleRate: 16_000))
        try folder.write(
            "yes/float.wav",
            WAVBytes.make(frames: [[1], [2]], sampleRate: 16_000, formatTag: 3, bitsPerSample: 32)
        )
        try folder.write("yes/extra/deep.wav", TemporaryDataset.toneWAV)
        try folder.write("no/good.wav", TemporaryDataset.toneWAV)
        try folder.makeFolder("maybe")
        try folder.write("stray.wav", TemporaryDataset.toneWAV)

        let error = try #require(throws: SpeechCommandDatasetError.self) {
            try SpeechCommandDataset.load(from: folder.root)
        }
        let reasons = Dictionary(uniqueKeysWithValues: error.problems.map { ($0.path, $0.reason) })
        #expect(
            Set(reasons.keys) == [
                "maybe/", "stray.wav", "yes/clip3.wav", "yes/cut.wav", "yes/extra/", "yes/float.wav", "yes/notes.txt",
                "yes/quiet.wav",
            ]
        )
        #expect(reasons["yes/clip3.wav"] == "not a WAV file (expected RIFF/WAVE PCM 16-bit)")
        #expect(reasons["yes/notes.txt"]?.contains("not a WAV file") == true)
        #expect(reasons["yes/cut.wav"]?.contains("truncated") == true)
        #expect(reasons["yes/quiet.wav"]?.contains("only silence") == true)
        #expect(reasons["yes/float.wav"]?.contains("32-bit float") == true)
        #expect(reasons["yes/extra/"]?.contains("nested folder") == true)
        #expect(reasons["maybe/"]?.contains("empty") == true)
        #expect(reasons["stray.wav"]?.contains("word folder") == true)
        #expect(error.description.contains("yes/clip3.wav: not a WAV file"))
    }

    @Test("Clips over the maximum duration are problems naming each file; shorter ones load")
    func longClips() throws {
        let folder = try TemporaryDataset()
        let twelveSeconds = WAVBytes.mono(WAVBytes.sine(frequency: 440, sampleRate: 8_000, count: 96_000), sampleRate: 8_000)
        try folder.write("yes/long.wav", twelveSeconds)
        try folder.write("yes/short.wav", TemporaryDataset.toneWAV)
        try folder.write("no/a.wav", TemporaryDataset.toneWAV)
        let error = try #require(throws: SpeechCommandDatasetError.self) {
            try SpeechCommandDataset.load(from: folder.root, maxClipSeconds: 10)
        }
        #expect(error.problems.map(\.path) == ["yes/long.wav"])
        #expect(error.problems.first?.reason == "clip is 12 s long; clips may be at most 10 s (one command each)")
        // Without a limit, or under a larger one, the same clip loads.
        #expect(try SpeechCommandDataset.load(from: folder.root, maxClipSeconds: 12.5).clipCount == 3)
        #expect(try SpeechCommandDataset.load(from: folder.root).clipCount == 3)
    }

    @Test("A single word, or none, is a dataset-wide problem", arguments: [["yes"], []])
    func tooFewWords(words: [String]) throws {
        let folder = try TemporaryDataset()
        for word in words { try folder.write("\(word)/a.wav", TemporaryDataset.toneWAV) }
        let error = try #require(throws: SpeechCommandDatasetError.self) {
            try SpeechCommandDataset.load(from: folder.root)
        }
        #expect(error.problems.count == 1)
        #expect(error.problems.first?.path == "")
        #expect(error.problems.first?.reason.contains("at least two word folders") == true)
    }

    @Test("A missing folder is reported, not a crash")
    func missingFolder() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent(
            "no-such-dataset-\(UUID().uuidString)"
        )
        let error = try #require(throws: SpeechCommandDatasetError.self) {
            try SpeechCommandDataset.load(from: missing)
        }
        #expect(error.problems.first?.reason.contains("not found") == true)
    }

    @Test("Past 50 problems the rest are counted, not listed")
    func boundedReport() throws {
        let folder = try TemporaryDataset()
        for index in 0..<60 { try folder.write("yes/bad\(index).wav", Data("junk".utf8)) }
        try folder.write("no/a.wav", TemporaryDataset.toneWAV)
        let error = try #require(throws: SpeechCommandDatasetError.self) {
            try SpeechCommandDataset.load(from: folder.root)
        }
        #expect(error.problems.count == 51)
        #expect(error.problems.last?.reason == "10 more problems not listed")
        // One line for the fifty clips that share a reason, not fifty copies of it.
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == 3, "\(error.description)")
        #expect(lines[1].hasPrefix("  50 files: not a WAV file (expected RIFF/WAVE PCM 16-bit): yes/bad0.wav, yes/bad1.wav, "), "\(lines[1])")
        #expect(lines[1].hasSuffix(" and 45 more"), "\(lines[1])")
        #expect(lines[2] == "  10 more problems not listed")
    }

    @Test("In-memory datasets are validated the same way")
    func inMemory() throws {
        let tone = try WAVDecoder.decode(TemporaryDataset.toneWAV)
        #expect(try SpeechCommandDataset(clipsByWord: ["a": [tone], "b": [tone, tone]]).clipCount == 3)
        #expect(throws: SpeechCommandDatasetError.self) { try SpeechCommandDataset(clipsByWord: ["a": [tone]]) }
        #expect(throws: SpeechCommandDatasetError.self) {
            try SpeechCommandDataset(clipsByWord: ["a": [tone], "b": []])
        }
    }
}
