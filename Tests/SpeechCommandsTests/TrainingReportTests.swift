import Foundation
import SpeechCommands
import Testing

/// The evaluation a trained model carries: produced, bounded, and true to its held-out clips.
@Suite("Training report")
struct TrainingReportTests {
    /// The shipped dataset with its clip names (`<accent>-<variant>`, one speaker each).
    private static func namedShippedDataset() throws -> (SpeechCommandDataset, [String: PCMAudio]) {
        let clips = try ShippedDataset.clips()
        let dataset = try ShippedDataset.dataset(of: clips)
        let audio = Dictionary(uniqueKeysWithValues: clips.map { ("\($0.word)/\($0.name)", $0.audio) })
        return (dataset, audio)
    }

    @Test("The report holds out whole speakers and matches a recount of its held-out clips")
    func recount() async throws {
        let (dataset, audio) = try Self.namedShippedDataset()
        var configuration = SpeechCommandTrainer.Configuration()
        configuration.retrainsOnAllClips = false  // so the returned model is the one evaluated
        let model = try await SpeechCommandTrainer(configuration: configuration).train(on: dataset)
        let report = model.report
        guard case .bySpeaker(let speakers) = report.split else {
            Issue.record("expected a split by speaker, got \(report.split)")
            return
        }
        // Whole speakers: every held-out speaker's ten words, and nothing else.
        #expect(!speakers.isEmpty)
        #expect(report.heldOutClips.count == 10 * speakers.count)
        #expect(Set(report.heldOutClips.map(\.name)) == Set(speakers))
        #expect(report.trainingClipCount + report.heldOutClips.count == 240)
        #expect(report.finalClipCount == report.trainingClipCount)
        #expect((0.15...0.25).contains(Double(report.heldOutClips.count) / 240))

        // Recount: recognise every held-out clip again and rebuild the figures.
        var correct = 0
        var perWord: [String: (correct: Int, total: Int)] = [:]
        var confusions: [String: Int] = [:]
        for clip in report.heldOutClips {
            let recognition = model.recognize(try #require(audio["\(clip.word)/\(clip.name)"]))
            #expect(recognition == clip.recognition, "\(clip.word)/\(clip.name)")
            let right = recognition.acceptedWord == clip.word
            if right { correct += 1 }
            perWord[clip.word, default: (0, 0)].total += 1
            if right { perWord[clip.word, default: (0, 0)].correct += 1 }
            if recognition.word != clip.word { confusions["\(clip.word)>\(recognition.word)", default: 0] += 1 }
        }
        #expect(report.accuracy == Double(correct) / Double(report.heldOutClips.count))
        for line in report.perWord {
            #expect(line.correct == perWord[line.word]?.correct ?? 0, "\(line.word)")
            #expect(line.total == perWord[line.word]?.total ?? 0, "\(line.word)")
        }
        #expect(Dictionary(uniqueKeysWithValues: report.confusions.map { ("\($0.said)>\($0.heard)", $0.count) }) == confusions)
        // Unseen speakers of the training engine: the figure the model claims has to be good.
        #expect(report.accuracy >= 0.85, "\(report)")

        let text = report.description
        #expect(text.utf8.count <= SpeechCommandReport.maximumDescriptionBytes)
        #expect(text.contains(String(format: "Accuracy: %.1f%% (%d/%d)", report.accuracy * 100, correct, report.heldOutClips.count)))
        #expect(text.contains("\(speakers.count) speakers"))
        #expect(text.contains("The final model is the evaluated one"))

        // The report travels inside the serialized model.
        #expect(try SpeechCommandModel(serialized: model.serialized()).report == report)
    }

    @Test("By default the final model is retrained on every clip, and the report says so")
    func retrained() async throws {
        let model = try await ShippedDataset.modelWithoutHeldOutVoices()
        #expect(model.report.finalClipCount == 180)
        #expect(model.report.trainingClipCount + model.report.heldOutClips.count == 180)
        #expect(model.report.description.contains("retrained on all 180 clips"))
    }

    @Test("Clips whose names tell no speakers apart are held out at random, reproducibly")
    func randomSplit() async throws {
        let clips = try ShippedDataset.clips().filter { ["en-us", "en-gb", "en-029"].contains($0.voice) }
        // init(clipsByWord:) names clips 1, 2, 3...: no speakers.
        let dataset = try SpeechCommandDataset(clipsByWord: Dictionary(grouping: clips, by: \.word).mapValues { $0.map(\.audio) })
        let first = try await SpeechCommandTrainer().train(on: dataset).report
        let second = try await SpeechCommandTrainer().train(on: dataset).report
        #expect(first.split == .random)
        #expect(first.heldOutClips.map(\.name) == second.heldOutClips.map(\.name))
        // A fifth of each word's 9 clips (2), and every word keeps clips to train on.
        #expect(first.perWord.allSatisfy { $0.total == 2 })
        #expect(first.trainingClipCount == 70)
        #expect(first.description.contains("randomly chosen"))
    }

    @Test(
        "Take counters and Speech Commands' _nohash_ marker are not part of the speaker",
        arguments: ["-", "_", "_nohash_"]
    )
    func speakerNames(separator: String) async throws {
        // Five speakers, two takes of each of two words, named <speaker><separator><take>.
        let voices = ["en-us-m2", "en-gb-m1", "en-029-m7", "en-us-nyc-m8", "en-gb-x-rp-m5"]
        var clips: [String: [PCMAudio]] = [:]
        var names: [String: [String]] = [:]
        for word in ["yes", "no"] {
            for (index, voice) in voices.enumerated() {
                let audio = try ShippedDataset.clip(word: word, speaker: voice)
                for take in 0..<2 {
                    clips[word, default: []].append(audio)
                    names[word, default: []].append("speaker\(index)\(separator)\(take)")
                }
            }
        }
        let report = try await SpeechCommandTrainer()
            .train(on: SpeechCommandDataset(clipsByWord: clips, namesByWord: names)).report
        guard case .bySpeaker(let speakers) = report.split else {
            Issue.record("expected a split by speaker, got \(report.split)")
            return
        }
        // A fifth of 20 clips is 4: one speaker's two takes of both words.
        #expect(speakers.count == 1)
        #expect(speakers.allSatisfy { $0.hasPrefix("speaker") && $0.count == "speaker0".count })
        #expect(report.heldOutClips.count == 4)
        #expect(report.heldOutClips.allSatisfy { $0.name.hasPrefix(speakers[0] + separator) })
    }

    @Test("A dataset with a single clip of a word says no evaluation was possible")
    func tooSmall() async throws {
        let dataset = try SpeechCommandDataset(clipsByWord: [
            "yes": [try ShippedDataset.clip(word: "yes", speaker: "en-us-m2")],
            "no": [try ShippedDataset.clip(word: "no", speaker: "en-us-m2")],
        ])
        let report = try await SpeechCommandTrainer().train(on: dataset).report
        #expect(report.split == .none)
        #expect(report.heldOutClips.isEmpty)
        #expect(report.description.contains("No held-out evaluation"))
    }

    @Test("The text stays bounded with hundreds of long word names")
    func bounded() {
        let words = (0..<300).map { "word-\($0)-" + String(repeating: "x", count: 200) }
        let clips = words.map { word in
            SpeechCommandReport.HeldOutClip(
                word: word,
                name: String(repeating: "speaker", count: 30),
                recognition: Recognition(word: words[0], confidence: 0.5)
            )
        }
        let report = SpeechCommandReport(
            split: .bySpeaker((0..<300).map { String(repeating: "s\($0)", count: 40) }),
            words: words,
            trainingClipCount: 4_700,
            heldOutClips: clips,
            finalClipCount: 5_000
        )
        let text = report.description
        #expect(text.utf8.count <= SpeechCommandReport.maximumDescriptionBytes)
        #expect(text.hasPrefix("Held-out evaluation on 300 clips of 300 speakers"))
    }
}
