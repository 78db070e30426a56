public import Foundation
public import SNETTraining
public import TrainingCore

/// A small real trainer for tests of the framework: datasets are `<label>/<name>.txt` files; the
/// model counts each label's words and labels a text by the label whose words it shares most.
/// Training can be slowed down (``trainingDelay``) so tests can catch a job mid-flight.
public struct TextLabelTrainer: Trainer {
    public struct Model: Sendable, Codable, Equatable {
        public var wordCounts: [String: [String: Int]]

        public init(wordCounts: [String: [String: Int]]) {
            self.wordCounts = wordCounts
        }

        public func label(for text: String) -> String {
            let words = TextLabelTrainer.words(in: text)
            return wordCounts.keys.sorted().max { a, b in score(words, a) < score(words, b) } ?? ""
        }

        private func score(_ words: [String], _ label: String) -> Int {
            words.reduce(0) { $0 + (wordCounts[label]?[$1] ?? 0) }
        }
    }

    public var trainingDelay: Duration
    /// Where the trainer records what happened to its training runs, for tests that must observe
    /// a cancellation reaching the trainer.
    public var events: TrainerEvents?
    /// Pads the validation report to this many characters, in figures (a trainer with a lot to
    /// say, for tests of the status detail's and report's bounds).
    public var validationReportLength: Int

    public init(trainingDelay: Duration = .zero, events: TrainerEvents? = nil, validationReportLength: Int = 0) {
        self.trainingDelay = trainingDelay
        self.events = events
        self.validationReportLength = validationReportLength
    }

    public func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> TrainingReport {
        let labels = try Self.read(dataset)
        let summary = "\(labels.count) labels, \(labels.values.map(\.count).reduce(0, +)) texts"
        guard summary.count < validationReportLength else { return TrainingReport(summary) }
        // In figures of 400 characters: a report says much through many figures, each bounded.
        let figures = (0...(validationReportLength - summary.count) / 400).map { index in
            TrainingReport.Figure("Texts \(index * 40 + 1)-\(index * 40 + 40)", text: String(repeating: "label ok; ", count: 40))
        }
        return TrainingReport(summary, figures: figures)
    }

    public func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> TrainingReport {
        let labels = try Self.read(dataset)
        progress("Counting words.")
        events?.record(.started)
        do {
            try await Task.sleep(for: trainingDelay)
        } catch {
            events?.record(.cancelled)
            throw error
        }
        var counts: [String: [String: Int]] = [:]
        for (label, texts) in labels {
            for word in texts.flatMap(Self.words(in:)) { counts[label, default: [:]][word, default: 0] += 1 }
        }
        try JSONEncoder().encode(Model(wordCounts: counts)).write(to: artifact)
        events?.record(.finished)
        return TrainingReport("Learned \(counts.count) labels.", figures: [.init("Labels", number: Double(counts.count))])
    }

    public func loadModel(artifact: URL) async throws -> Model {
        try JSONDecoder().decode(Model.self, from: Data(contentsOf: artifact))
    }

    static func words(in text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    /// label → texts; rejects datasets a consumer must fix.
    static func read(_ directory: URL) throws -> [String: [String]] {
        let manager = FileManager.default
        var labels: [String: [String]] = [:]
        for label in try manager.contentsOfDirectory(atPath: directory.path(percentEncoded: false)) where !label.hasPrefix(".") {
            let folder = directory.appending(path: label)
            for name in try manager.contentsOfDirectory(atPath: folder.path(percentEncoded: false)) {
                guard let text = String(data: try Data(contentsOf: folder.appending(path: name)), encoding: .utf8), !text.isEmpty else {
                    throw DatasetRejected("\(label)/\(name) is not UTF-8 text.")
                }
                labels[label, default: []].append(text)
            }
        }
        guard labels.count >= 2 else {
            throw DatasetRejected("The dataset needs at least two label folders; found \(labels.count).")
        }
        return labels
    }
}
