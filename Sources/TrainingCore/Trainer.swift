public import Foundation

/// What a provider implements for one trainable method: judge a dataset, train on it, load the result.
///
/// The framework owns everything else: uploads, archives and their limits, the registry, jobs, retries,
/// status and errors. Each call gets a directory or file of its own; a trainer never needs to know
/// where the data directory is or which node it runs on.
///
/// ```swift
/// struct KeywordTrainer: Trainer {
///     func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> TrainingReport {
///         let words = try FileManager.default.contentsOfDirectory(atPath: dataset.path)
///         guard words.count >= 2 else { throw DatasetRejected("The dataset needs at least two word folders.") }
///         return TrainingReport("\(words.count) words.", figures: [.init("Words", number: Double(words.count))])
///     }
///     func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> TrainingReport { … }
///     func loadModel(artifact: URL) async throws -> KeywordModel { … }
/// }
/// ```
public protocol Trainer: Sendable {
    /// What inference uses.
    associatedtype Model: Sendable

    /// Checks an extracted dataset and returns its report (a VALIDATED model's report; its text is
    /// the status detail). Throw ``DatasetRejected`` to send the model to ERRORED with that reason.
    /// The archive limits of `method` have already been enforced.
    func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> TrainingReport

    /// Trains on a validated dataset and writes the model to `artifact` (a file path that does not
    /// exist yet). Returns the training report (figures, and a confusion matrix when the trainer
    /// measured one). Must stop promptly when the task is cancelled.
    func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> TrainingReport

    /// Loads a model written by ``train(dataset:method:artifact:progress:)``, for inference.
    func loadModel(artifact: URL) async throws -> Model
}

/// The dataset is unusable; `reason` tells the consumer what to fix. Other errors thrown by a
/// trainer are reported as an internal failure, with the detail kept in the logs.
public struct DatasetRejected: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Lets a long job say how far it has got; the text becomes the model's status detail.
public struct ProgressReporter: Sendable {
    private let report: @Sendable (String) -> Void
    public init(_ report: @escaping @Sendable (String) -> Void) { self.report = report }
    public func callAsFunction(_ text: String) { report(text) }
    /// Discards progress (a trainer called outside a job, as in a trainer's own tests).
    public static var ignored: ProgressReporter { ProgressReporter { _ in } }
}
