public import TrainingCore

/// What the runner does with a claimed job. ``ModelJobHandler`` is the real one; tests may plug others.
public protocol JobHandler: Sendable {
    /// Runs `job` to its end, saving the outcome through `context`. Throws CancellationError when
    /// the job was cancelled (model deleted, new dataset, shutdown): then nothing is saved.
    func run(_ job: TrainingJob, context: JobContext) async throws
}

/// What a running job may use besides its own inputs: its lease-checked way to save, and progress.
public struct JobContext: Sendable {
    public let worker: String
    public let progress: ProgressReporter

    public init(worker: String, progress: ProgressReporter) {
        self.worker = worker
        self.progress = progress
    }
}
