import Foundation
import SpeechCommands
import STTService
import Testing

/// The JSON line at the end of a trained model's status detail: the dashboard's heat-map and any
/// consumer tool read the held-out results from it.
@Suite("The speech trainer's figures line")
struct SpeechTrainerFiguresTests {
    private func clip(_ word: String, heard: String, refused: Bool = false) -> SpeechCommandReport.HeldOutClip {
        .init(word: word, name: "\(word)-\(heard)", recognition: Recognition(word: heard, confidence: 0.9, refusal: refused ? .unknownWord : nil))
    }

    @Test("rows are the word said, columns the closest word heard; refused clips count where they were closest")
    func confusion() throws {
        let report = SpeechCommandReport(
            split: .random, words: ["no", "up", "yes"], trainingClipCount: 30,
            heldOutClips: [
                clip("no", heard: "no"), clip("no", heard: "yes"), clip("up", heard: "up"),
                clip("up", heard: "up", refused: true), clip("yes", heard: "yes"),
            ],
            finalClipCount: 35
        )
        let line = try #require(SpeechTrainer.figures(of: report))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["heldOutAccuracy"] as? Double == 0.6)
        let confusion = try #require(object["confusion"] as? [String: Any])
        #expect(confusion["labels"] as? [String] == ["no", "up", "yes"])
        #expect(confusion["counts"] as? [[Int]] == [[1, 0, 1], [0, 2, 0], [0, 0, 1]])
    }

    @Test("no held-out clips: no line; too many words: accuracy without the matrix")
    func bounds() throws {
        #expect(SpeechTrainer.figures(of: .init(split: .none, words: ["a", "b"], trainingClipCount: 2, heldOutClips: [], finalClipCount: 2)) == nil)
        let words = (0...SpeechTrainer.maximumConfusionWords).map { "w\($0)" }
        let report = SpeechCommandReport(
            split: .random, words: words, trainingClipCount: 100, heldOutClips: words.map { clip($0, heard: $0) }, finalClipCount: 100
        )
        let line = try #require(SpeechTrainer.figures(of: report))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["heldOutAccuracy"] as? Double == 1)
        #expect(object["confusion"] == nil)
    }
}
