public import Foundation
public import SpeechCommands
public import TrainingCore

/// The example service's ``Trainer``: a speech-command recognizer trained on the consumer's own
/// `<word>/<clip>.wav` recordings.
public struct SpeechTrainer: Trainer {
    public typealias Model = SpeechCommandModel

    /// The longest clip a dataset may hold: longer ones are problems, named, at validation.
    public let limits: SpeechLimits

    public init(limits: SpeechLimits = .defaults) {
        self.limits = limits
    }

    public func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> String {
        let loaded = try load(dataset)
        return "Dataset is valid: " + Self.summary(of: loaded) + "."
    }

    public func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> String {
        let loaded = try load(dataset)
        let model = try await SpeechCommandTrainer().train(on: loaded) { fraction in
            progress("Training: \(Int((fraction * 100).rounded()))% done.")
        }
        try model.serialized().write(to: artifact, options: .atomic)
        return Self.statusDetail(of: model, dataset: loaded)
    }

    public func loadModel(artifact: URL) async throws -> SpeechCommandModel {
        try SpeechCommandModel(serialized: Data(contentsOf: artifact))
    }

    /// Loads and checks every clip; a dataset problem becomes the reason the model is ERRORED.
    func load(_ directory: URL) throws -> SpeechCommandDataset {
        do {
            return try SpeechCommandDataset.load(from: directory, maxClipSeconds: limits.maxClipSeconds)
        } catch let error as SpeechCommandDatasetError {
            throw DatasetRejected("The dataset is not usable: \(error.description)")
        }
    }

    /// What READY_TO_USE shows: the clip counts, then the model's held-out evaluation (which the
    /// artifact also carries), then its figures as one JSON line for tools (the provider
    /// dashboard draws the confusion heat-map from it). Bounded: the summary is cut to leave the
    /// report room, the report is at most `SpeechCommandReport.maximumDescriptionBytes`, and the
    /// confusion matrix is left out past `maximumConfusionWords`.
    static func statusDetail(of model: SpeechCommandModel, dataset: SpeechCommandDataset) -> String {
        var summary = "Trained on " + Self.summary(of: dataset) + "."
        let room = 4_000 - model.report.description.utf8.count - 1
        if summary.utf8.count > room {
            summary = "Trained on \(dataset.words.count) words, \(dataset.clipCount) clips."
        }
        let figures = Self.figures(of: model.report).map { "\n" + $0 } ?? ""
        return summary + "\n" + model.report.description + figures
    }

    /// Beyond this many words the matrix would crowd the status detail (it grows as the square).
    package static let maximumConfusionWords = 12

    /// `{"heldOutAccuracy": …, "confusion": {"labels": […], "counts": [[…]]}}`: rows are the word
    /// said, columns the closest word heard; nil when nothing was held out.
    package static func figures(of report: SpeechCommandReport) -> String? {
        guard !report.heldOutClips.isEmpty else { return nil }
        var object: [String: Any] = ["heldOutAccuracy": (report.accuracy * 1000).rounded() / 1000]
        if report.words.count <= maximumConfusionWords {
            let index = Dictionary(uniqueKeysWithValues: report.words.enumerated().map { ($1, $0) })
            var counts = Array(repeating: Array(repeating: 0, count: report.words.count), count: report.words.count)
            for clip in report.heldOutClips {
                guard let said = index[clip.word], let heard = index[clip.recognition.word] else { continue }
                counts[said][heard] += 1
            }
            object["confusion"] = ["labels": report.words, "counts": counts]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func summary(of dataset: SpeechCommandDataset) -> String {
        let words = dataset.words.map { "\($0) (\(dataset.clipsPerWord[$0] ?? 0))" }.joined(separator: ", ")
        return "\(dataset.words.count) words, \(dataset.clipCount) clips: \(words)"
    }
}
