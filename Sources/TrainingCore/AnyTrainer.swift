public import Foundation

/// A ``Trainer`` with its model type erased, so methods with different trainers can sit in one
/// table. Inference gets the typed model back through the typed endpoint the provider registered.
public struct AnyTrainer: Sendable {
    public let validate: @Sendable (URL, TrainableMethod, ProgressReporter) async throws -> TrainingReport
    public let train: @Sendable (URL, TrainableMethod, URL, ProgressReporter) async throws -> TrainingReport
    public let loadModel: @Sendable (URL) async throws -> any Sendable

    public init<T: Trainer>(_ trainer: T) {
        validate = { try await trainer.validate(dataset: $0, method: $1, progress: $2) }
        train = { try await trainer.train(dataset: $0, method: $1, artifact: $2, progress: $3) }
        loadModel = { try await trainer.loadModel(artifact: $0) }
    }
}

/// A trainable method together with the trainer that serves it.
public struct TrainerBinding: Sendable {
    public var method: TrainableMethod
    public var trainer: AnyTrainer

    public init(method: TrainableMethod, trainer: AnyTrainer) {
        self.method = method
        self.trainer = trainer
    }
}
