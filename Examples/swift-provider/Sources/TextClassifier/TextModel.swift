import Foundation

/// A multinomial naive Bayes classifier over words: what `classify` runs and what training writes.
///
/// Small on purpose: the point of this package is the provider's wiring, not the model. Replace it
/// with yours; keep it `Sendable` and `Codable` (or any format your ``TextTrainer`` can write and
/// load back).
public struct TextModel: Sendable, Codable, Equatable {
    /// The labels, in the dataset's folder order.
    public var labels: [String]
    /// How many training texts each label had.
    public var textCounts: [Int]
    /// For each label, how often each word occurred in its texts.
    public var wordCounts: [[String: Int]]
    /// Every word seen in training.
    public var vocabularySize: Int

    /// The most likely label for `text`, with its probability.
    public func classify(_ text: String) -> (label: String, confidence: Double) {
        let words = Self.words(in: text)
        let totalTexts = Double(textCounts.reduce(0, +))
        let scores = labels.indices.map { index in
            let counts = wordCounts[index]
            let total = Double(counts.values.reduce(0, +))
            // Laplace smoothing: a word never seen with this label does not rule it out.
            let denominator = log(total + Double(vocabularySize) + 1)
            return words.reduce(log(Double(textCounts[index]) / totalTexts)) { score, word in
                score + log(Double(counts[word, default: 0]) + 1) - denominator
            }
        }
        let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        // Softmax of the log scores, shifted by the best for stability.
        let sum = scores.reduce(0) { $0 + exp($1 - scores[best]) }
        return (labels[best], 1 / sum)
    }

    /// Lower-cased runs of letters and digits.
    static func words(in text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
