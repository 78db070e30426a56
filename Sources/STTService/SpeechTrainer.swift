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

    public func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> TrainingReport {
        let loaded = try load(dataset)
        return TrainingReport("Dataset is valid: " + Self.summary(of: loaded) + ".")
    }

    public func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> TrainingReport {
        let loaded = try load(dataset)
        let model = try await SpeechCommandTrainer().train(on: loaded) { fraction in
            progress("Training: \(Int((fraction * 100).rounded()))% done.")
        }
        try model.serialized().write(to: artifact, options: .atomic)
        return Self.trainingReport(of: model, dataset: loaded)
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

    static func summary(of dataset: SpeechCommandDataset) -> String {
        let words = dataset.words.map { "\($0) (\(dataset.clipsPerWord[$0] ?? 0))" }.joined(separator: ", ")
        return "\(dataset.words.count) words, \(dataset.clipCount) clips: \(words)"
    }
}
