import Foundation

extension SpeechCommandReport: CustomStringConvertible {
    /// The most text `description` produces, in UTF-8 bytes: it fits a status detail.
    public static let maximumDescriptionBytes = 3_500

    /// A few readable lines, at most `maximumDescriptionBytes`: overall accuracy and clip counts,
    /// per-word accuracy (worst first when there are many words), the most confused pairs.
    public var description: String {
        var lines: [String] = []
        switch split {
        case .none:
            lines.append("No held-out evaluation: every word needs at least 2 clips to keep one back for testing.")
        case .bySpeaker(let speakers):
            lines.append(
                "Held-out evaluation on \(heldOutClips.count) clips of \(speakers.count) speakers not used for training "
                    + "(\(Self.list(speakers, limit: 6))); evaluated model trained on \(trainingClipCount) clips."
            )
        case .random:
            lines.append(
                "Held-out evaluation on \(heldOutClips.count) randomly chosen clips (names do not tell speakers apart); "
                    + "evaluated model trained on \(trainingClipCount) clips."
            )
        }
        if !heldOutClips.isEmpty {
            let correct = heldOutClips.filter(\.isCorrect).count
            lines.append(
                "Accuracy: \(Self.percent(accuracy)) (\(correct)/\(heldOutClips.count)); "
                    + "\(refusedCount) refused as unknown or silence."
            )
            let perWord = self.perWord.filter { $0.total > 0 }
            let shown =
                perWord.count <= 12 ? perWord : Array(perWord.sorted { Self.share($0.correct, of: $0.total) < Self.share($1.correct, of: $1.total) }.prefix(12))
            let items = shown.map { "\($0.word) \($0.correct)/\($0.total)" }
            let more = perWord.count - shown.count
            lines.append(
                (perWord.count <= 12 ? "Per word: " : "Per word (worst \(shown.count) of \(perWord.count)): ")
                    + items.joined(separator: ", ") + (more > 0 ? ", \(more) more" : "") + "."
            )
            let confusions = self.confusions.prefix(5).map { "\($0.said) heard as \($0.heard) (\($0.count))" }
            lines.append("Most confused: " + (confusions.isEmpty ? "none." : confusions.joined(separator: ", ") + "."))
        }
        lines.append(
            finalClipCount > trainingClipCount
                ? "The final model was then retrained on all \(finalClipCount) clips."
                : "The final model is the evaluated one (\(finalClipCount) clips)."
        )
        return Self.bounded(lines.joined(separator: "\n"))
    }

    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    private static func list(_ names: [String], limit: Int) -> String {
        names.count <= limit ? names.joined(separator: ", ") : names.prefix(limit).joined(separator: ", ") + ", ... \(names.count - limit) more"
    }

    /// Cuts at a character boundary so the UTF-8 text fits, marking the cut; long word names
    /// (a word may be any folder name) are the only way to get there.
    private static func bounded(_ text: String) -> String {
        guard text.utf8.count > maximumDescriptionBytes else { return text }
        var cut = Substring(text)
        while cut.utf8.count > maximumDescriptionBytes - 4 { cut = cut.dropLast() }
        return cut + " ..."
    }
}
