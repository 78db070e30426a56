public import Foundation
public import Logging
public import TrainingCore

/// A ``Trainer`` that runs the provider's own program, in any language, through the trainer protocol
/// (docs/trainer-protocol.md):
///
///     <command> validate --dataset DIR --options FILE
///     <command> train    --dataset DIR --output DIR --options FILE
///
/// A ``TrainerRunner`` says where the program runs: a subprocess of the gateway, in an empty
/// working directory of its own under `workRoot` (the default), or a job of a cluster scheduler. The
/// model is the directory the trainer fills (`--output`, the library's artifact path); inference
/// uses its path, so ``loadModel(artifact:)`` only checks that it is still there.
///
/// ```swift
/// let trainer = SubprocessTrainer(command: TrainerCommand(executable: "/usr/bin/python3", arguments: ["train.py"]),
///                                 workRoot: dataDirectory.appending(path: "trainer-runs"), logger: logger)
/// let endpoint = try builder.endpoint(service: "intent.IntentClassifier", method: "classify", trainer: trainer)
/// ```
public struct SubprocessTrainer: Trainer {
    public typealias Model = URL

    /// The exit status that means "the dataset is unusable" (the model ends ERRORED with the reason).
    public static let datasetRejectedStatus: Int32 = 2

    public let command: TrainerCommand
    private let runner: any TrainerRunner
    private let gate: ConcurrencyGate
    private let logger: Logger

    /// Runs the trainer as a subprocess of the gateway, in working directories under `workRoot`.
    /// Its time limits and grace period pass on `clock`.
    public init(command: TrainerCommand, workRoot: URL, clock: some Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.init(
            command: command, runner: LocalTrainerRunner(command: command, workRoot: workRoot, clock: clock, logger: logger), logger: logger
        )
    }

    init(command: TrainerCommand, runner: any TrainerRunner, logger: Logger) {
        self.command = command
        self.runner = runner
        // Unbounded queue: the job runner bounds how many runs can wait.
        self.gate = ConcurrencyGate(name: "trainer", limit: command.concurrency, queueLength: .max)
        self.logger = logger
    }

    public func validate(dataset: URL, method: TrainableMethod, progress: ProgressReporter) async throws -> TrainingReport {
        let request = TrainerRunRequest(
            phase: .validate, dataset: dataset, method: method, timeLimit: command.validationTimeLimit, job: TrainerJob.current
        )
        let result = try await run(request, progress: progress)
        try check(result, work: "Validation", timeLimit: command.validationTimeLimit)
        return result.report ?? TrainingReport("The trainer accepted the dataset.")
    }

    public func train(dataset: URL, method: TrainableMethod, artifact: URL, progress: ProgressReporter) async throws -> TrainingReport {
        try FileManager.default.createDirectory(at: artifact, withIntermediateDirectories: true)
        let request = TrainerRunRequest(
            phase: .train, dataset: dataset, output: artifact, method: method, timeLimit: command.timeLimit, job: TrainerJob.current
        )
        let result = try await run(request, progress: progress)
        try check(result, work: "Training", timeLimit: command.timeLimit)
        let written = (try? FileManager.default.contentsOfDirectory(atPath: artifact.path(percentEncoded: false))) ?? []
        guard !written.isEmpty else {
            throw TrainingError.failedPrecondition(
                "Training failed: the trainer exited successfully but left nothing in its output directory. Contact the service provider."
            )
        }
        return result.report ?? TrainingReport("Trained.")
    }

    public func loadModel(artifact: URL) async throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: artifact.path(percentEncoded: false), isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw TrainingError.internalError("The model directory is missing.")
        }
        return artifact
    }

    /// Turns how the run ended into the model's outcome: the trainer's reason for a rejected dataset
    /// or a failure, a plain reason for a crash or an exceeded time limit.
    private func check(_ result: TrainerRunResult, work: String, timeLimit: Duration) throws {
        let reason = result.reason.map { ": \($0)" } ?? "."
        switch result.end {
        case .exited(0):
            return
        case .exited(Self.datasetRejectedStatus):
            throw DatasetRejected(result.reason ?? "The trainer rejected the dataset without giving a reason.")
        case .exited(let code):
            throw TrainingError.failedPrecondition("\(work) failed (the trainer exited with status \(code))\(reason)")
        case .signalled(let signal):
            throw TrainingError.failedPrecondition("\(work) failed: the trainer crashed (signal \(signal))\(reason)")
        case .timedOut:
            throw TrainingError.failedPrecondition(
                "\(work) did not finish within its time limit of \(timeLimit.components.seconds) seconds and was stopped."
            )
        case .stopped(let why):
            throw TrainingError.failedPrecondition(TrainerMessage.bounded("\(work) failed: \(why)"))
        }
    }

    private func run(_ request: TrainerRunRequest, progress: ProgressReporter) async throws -> TrainerRunResult {
        try await gate.withSlot(waiting: { progress("\(request.label): waiting for a free trainer slot.") }) {
            let started = ContinuousClock.now
            let result = try await runner.run(request) { progress($0) }
            logger.info(
                "trainer run ended",
                metadata: [
                    "method": "\(request.method.name)", "phase": "\(request.phase.rawValue)", "end": "\(result.end)",
                    "seconds": "\((ContinuousClock.now - started).components.seconds)",
                ]
            )
            return result
        }
    }
}
