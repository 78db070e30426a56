import Foundation
public import Logging
public import TrainingCore
public import TrainingDatasets
public import TrainingJobs

/// The real job handler: validation fetches (for links) and extracts the dataset under the method's
/// limits and asks the method's trainer to judge it; training asks the trainer for an artifact.
///
/// Every outcome is saved with ``ModelRegistry/finishJob(jobID:worker:state:model:)``, which writes
/// nothing if the job was cancelled meanwhile; then this job's own files are removed, so a
/// cancelled or superseded job leaves nothing behind.
public struct ModelJobHandler: JobHandler {
    private let registry: any ModelRegistry
    private let bindings: [MethodName: TrainerBinding]
    private let files: ModelFiles
    private let links: DatasetLinkFetcher
    private let clock: WallClock
    private let logger: Logger

    public init(
        registry: any ModelRegistry,
        bindings: [MethodName: TrainerBinding],
        files: ModelFiles,
        links: DatasetLinkFetcher,
        clock: WallClock = .system,
        logger: Logger
    ) {
        self.registry = registry
        self.bindings = bindings
        self.files = files
        self.links = links
        self.clock = clock
        self.logger = logger
    }

    public func run(_ job: TrainingJob, context: JobContext) async throws {
        guard let model = try await registry.model(id: job.modelID), model.status.isBusy else {
            // Deleted or moved on before the job started: nothing to do.
            _ = try await registry.finishJobIfHeld(job, worker: context.worker)
            return
        }
        guard let binding = bindings[model.method] else {
            try await fail(job, worker: context.worker, reason: "This service no longer trains \(model.method). Contact the service provider.")
            return
        }
        try await TrainerJob.$current.withValue(TrainerJob(jobID: job.id, modelID: model.id)) {
            switch job.kind {
            case .validate: try await validate(job, model: model, binding: binding, context: context)
            case .train: try await train(job, model: model, binding: binding, context: context)
            }
        }
    }

    private func validate(_ job: TrainingJob, model: ModelRecord, binding: TrainerBinding, context: JobContext) async throws {
        var fetched: DatasetReference?
        var extracted: URL?
        var stage = WorkflowMetrics.ValidationResult.link
        do {
            var dataset = model.dataset
            if let link = model.trainingDataLink {
                context.progress("Downloading the dataset.")
                fetched = try await links.fetch(link, files: files, modelID: model.id, maxBytes: binding.method.options.datasetMaxBytes)
                dataset = fetched
            }
            guard let dataset else {
                throw DatasetRejected("No dataset was uploaded for this model. Upload one with upload_and_validate.")
            }
            context.progress("Checking the archive.")
            stage = .archive
            try Task.checkCancellation()
            let directory = try DatasetExtraction.extract(dataset, method: binding.method, files: files, modelID: model.id)
            extracted = directory
            context.progress("Validating the dataset.")
            stage = .dataset
            let report = try await binding.trainer.validate(directory, binding.method, context.progress)
            // Whole, for the provider: the status detail keeps a bounded copy.
            logger.info("dataset validated", metadata: ["model_id": "\(model.id)", "report": "\(report.text(limit: .max))"])
            try Task.checkCancellation()

            let datasetDirectory = files.relativePath(of: directory)
            let replaced = try await complete(job, worker: context.worker) { current in
                let replaced = current.dataset
                try current.finishValidation(dataset: dataset, datasetDirectory: datasetDirectory, report: report, now: clock.now())
                return replaced
            }
            if let fetched, replaced?.path != fetched.path { files.removeIfPresent(relativePath: replaced?.path) }
            files.removeIfPresent(relativePath: model.datasetDirectory)
            WorkflowMetrics.jobEnded(.validate, succeeded: true)
            WorkflowMetrics.validation(.valid)
        } catch {
            if let extracted { try? FileManager.default.removeItem(at: extracted) }
            if let fetched { files.removeIfPresent(relativePath: fetched.path) }
            if !(error is CancellationError || Task.isCancelled) { WorkflowMetrics.validation(Self.validationResult(of: error, at: stage)) }
            try await handleFailure(error, job: job, modelID: model.id, worker: context.worker, work: "Validation")
        }
    }

    private func train(_ job: TrainingJob, model: ModelRecord, binding: TrainerBinding, context: JobContext) async throws {
        guard let datasetDirectory = model.datasetDirectory else {
            try await fail(job, worker: context.worker, reason: "The model has no validated dataset. Upload one and wait for VALIDATED.")
            return
        }
        var artifact: URL?
        do {
            let destination = try files.newPath(for: model.id, in: .artifacts, suffix: ".model")
            artifact = destination
            context.progress("Training.")
            let report = try await binding.trainer.train(
                files.url(forRelativePath: datasetDirectory), binding.method, destination, context.progress
            )
            logger.info("model trained", metadata: ["model_id": "\(model.id)", "report": "\(report.text(limit: .max))"])
            try Task.checkCancellation()
            guard FileManager.default.fileExists(atPath: destination.path(percentEncoded: false)) else {
                throw TrainingError.internalError("The trainer finished without writing a model.")
            }
            let artifactPath = files.relativePath(of: destination)
            let previous = try await complete(job, worker: context.worker) { current in
                let previous = current.artifactPath
                try current.finishTraining(artifactPath: artifactPath, report: report, now: clock.now())
                return previous
            }
            files.removeIfPresent(relativePath: previous)
            WorkflowMetrics.jobEnded(.train, succeeded: true)
        } catch {
            if let artifact { try? FileManager.default.removeItem(at: artifact) }
            try await handleFailure(error, job: job, modelID: model.id, worker: context.worker, work: "Training")
        }
    }

    /// A rejected dataset or a trainer failure ends the model as ERRORED with a reason; a
    /// cancellation ends it silently (whoever cancelled has already saved the model).
    private func handleFailure(_ error: any Error, job: TrainingJob, modelID: String, worker: String, work: String) async throws {
        if error is CancellationError || Task.isCancelled {
            if let model = try? await registry.model(id: modelID), model.status == .deleted {
                try? files.removeAll(for: modelID)  // a deletion raced with this job's writes
            }
            throw CancellationError()
        }
        let reason: String
        switch error {
        case let rejected as DatasetRejected:
            reason = rejected.reason
        case let failure as TrainingError where failure.code != .internalError:
            reason = failure.message
        default:
            logger.error("\(work) failed", metadata: ["model_id": "\(modelID)", "error": "\(String(reflecting: error))"])
            reason = "\(work) failed inside the service. Try again; if it keeps failing, contact the service provider."
        }
        try await fail(job, worker: worker, reason: reason)
    }

    /// The class of a validation's failure: a full disk, a fault of the service, or the stage
    /// (link, archive, trainer) that refused the dataset.
    private static func validationResult(of error: any Error, at stage: WorkflowMetrics.ValidationResult) -> WorkflowMetrics.ValidationResult {
        if let failure = error as? TrainingError {
            if failure.code == .resourceExhausted { return .disk }
            if failure.code == .internalError { return .internal }
        } else if !(error is DatasetRejected) {
            return .internal
        }
        return stage
    }

    private func fail(_ job: TrainingJob, worker: String, reason: String) async throws {
        WorkflowMetrics.jobEnded(job.kind, succeeded: false)
        try await complete(job, worker: worker, outcome: .failed) { try $0.fail(reason: reason, now: clock.now()) }
        logger.notice("model errored", metadata: ["model_id": "\(job.modelID)", "reason": "\(reason)"])
    }

    /// Saves the job's outcome: reads the model, applies `finish` (a transition) and ends the job
    /// with `outcome` in one transaction. A save that loses to a concurrent write (the heartbeat publishing
    /// progress) is tried again on a fresh read while this worker still holds the job, so a
    /// heartbeat can never make a finished job lose its result or run again. Throws
    /// CancellationError once the job is no longer this worker's (cancelled, or taken over).
    @discardableResult
    private func complete<T>(
        _ job: TrainingJob, worker: String, outcome: TrainingJob.State = .succeeded, finish: (inout ModelRecord) throws -> T
    ) async throws -> T {
        let finished = try await registry.finishJob(job, worker: worker, state: outcome) { model -> T? in try finish(&model) }
        guard let finished else { throw CancellationError() }
        return finished
    }
}

extension ModelRegistry {
    /// Ends a job whose model no longer needs it, if this worker still holds it.
    func finishJobIfHeld(_ job: TrainingJob, worker: String) async throws -> Bool {
        guard let model = try await model(id: job.modelID) else { return false }
        return try await finishJob(jobID: job.id, worker: worker, state: .cancelled, model: model)
    }
}
