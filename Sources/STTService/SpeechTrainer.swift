public import Foundation
public import SpeechCommands
public import TrainingCore

/// The example service's ``Trainer``: a speech-command recognizer trained on the consumer's own
/// `<word>/<clip>.wav` recordings.
public struct SpeechTrainer: Trainer {
    public typealias Model = SpeechCommandModel

    public init() {}

    public func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> String {
        let loaded = try Self.load(dataset)
        return "Dataset is valid: " + Self.summary(of: loaded) + "."
    }

    public func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> String {
        let loaded = try Self.load(dataset)
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
    static func load(_ directory: URL) throws -> SpeechCommandDataset {
        do {
            return try SpeechCommandDataset.load(from: directory)
        } catch let error as SpeechCommandDatasetError {
            throw DatasetRejected("The dataset is not usable: \(error.description)")
        }
    }

    /// What READY_TO_USE shows: the clip counts, then the model's held-out evaluation (which the
    /// artifact also carries). Bounded: the summary is cut to leave the report room, and the
    /// report is at most `SpeechCommandReport.maximumDescriptionBytes`.
    static func statusDetail(of model: SpeechCommandModel, dataset: SpeechCommandDataset) -> String {
        var summary = "Trained on " + Self.summary(of: dataset) + "."
        let room = 4_000 - model.report.description.utf8.count - 1
        if summary.utf8.count > room {
            summary = "Trained on \(dataset.words.count) words, \(dataset.clipCount) clips."
        }
        return summary + "\n" + model.report.description
    }

    static func summary(of dataset: SpeechCommandDataset) -> String {
        let words = dataset.words.map { "\($0) (\(dataset.clipsPerWord[$0] ?? 0))" }.joined(separator: ", ")
        return "\(dataset.words.count) words, \(dataset.clipCount) clips: \(words)"
    }
}
