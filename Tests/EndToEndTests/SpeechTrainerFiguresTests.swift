import Foundation
import SpeechCommands
import STTService
import Testing
import TrainingCore

/// The recognizer's held-out evaluation as the speech trainer's report: the dashboard's heat-map
/// and snet-train read the confusion matrix from it, people read its figures as text.
@Suite("The speech trainer's report")
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
        let matrix = try #require(SpeechTrainer.confusion(of: report))
        #expect(matrix.labels == ["no", "up", "yes"])
        #expect(matrix.counts == [[1, 0, 1], [0, 2, 0], [0, 0, 1]])
    }

    @Test("no held-out clips: no matrix")
    func nothingHeldOut() {
        #expect(SpeechTrainer.confusion(of: .init(split: .none, words: ["a", "b"], trainingClipCount: 2, heldOutClips: [], finalClipCount: 2)) == nil)
    }
}
