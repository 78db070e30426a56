import Foundation
package import SpeechCommands
package import TrainingCore

// The recognizer's held-out evaluation as the framework's report: what the status detail, the
// dashboard and snet-train show.
extension SpeechTrainer {
    /// `Trained on …` with the clip counts, the held-out evaluation as named figures, and the
    /// confusion matrix of the held-out clips.
    package static func trainingReport(of model: SpeechCommandModel, dataset: SpeechCommandDataset) -> TrainingReport {
        var summary = "Trained on " + Self.summary(of: dataset) + "."
        if summary.utf8.count > StatusDetailLimits.summaryBytes {
            summary = "Trained on \(dataset.words.count) words, \(dataset.clipCount) clips."
        }
        let report = model.report
        let heldOut = report.heldOutClips.count
        var figures: [TrainingReport.Figure] = []
        switch report.split {
        case .none:
            figures.append(.init("Held-out evaluation", text: "none: every word needs at least 2 clips to keep one back for testing."))
        case .bySpeaker(let speakers):
            figures.append(
                .init(
                    "Held-out evaluation",
                    text: "\(heldOut) clips of \(speakers.count) speakers not used for training; evaluated model trained on \(report.trainingClipCount) clips."
                )
            )
        case .random:
            figures.append(
                .init(
                    "Held-out evaluation",
                    text: "\(heldOut) randomly chosen clips; evaluated model trained on \(report.trainingClipCount) clips."
                )
            )
        }
        if heldOut > 0 {
            let correct = report.heldOutClips.filter(\.isCorrect).count
            let accuracy = (report.accuracy * 1000).rounded() / 1000
            figures.append(.init("Accuracy", number: accuracy, shown: String(format: "%.1f%% (%d/%d)", report.accuracy * 100, correct, heldOut)))
            figures.append(.init("Refused as unknown or silence", number: Double(report.refusedCount)))
            let perWord = report.perWord.filter { $0.total > 0 }.map { "\($0.word) \($0.correct)/\($0.total)" }
            figures.append(.init("Per word", text: perWord.joined(separator: ", ")))
            let confused = report.confusions.prefix(5).map { "\($0.said) heard as \($0.heard) (\($0.count))" }
            figures.append(.init("Most confused", text: confused.isEmpty ? "none" : confused.joined(separator: ", ")))
        }
        figures.append(
            .init(
                "Final model",
                text: report.finalClipCount > report.trainingClipCount
                    ? "retrained on all \(report.finalClipCount) clips" : "the evaluated one (\(report.finalClipCount) clips)"
            )
        )
        return TrainingReport(summary, figures: figures, confusion: confusion(of: report))
    }

    /// Rows are the word said, columns the closest word heard (a refused clip counts where it was
    /// closest); nil when nothing was held out.
    package static func confusion(of report: SpeechCommandReport) -> ConfusionMatrix? {
        guard !report.heldOutClips.isEmpty else { return nil }
        let index = Dictionary(uniqueKeysWithValues: report.words.enumerated().map { ($1, $0) })
        var counts = Array(repeating: Array(repeating: 0, count: report.words.count), count: report.words.count)
        for clip in report.heldOutClips {
            guard let said = index[clip.word], let heard = index[clip.recognition.word] else { continue }
            counts[said][heard] += 1
        }
        return ConfusionMatrix(labels: report.words, counts: counts)
    }
}
