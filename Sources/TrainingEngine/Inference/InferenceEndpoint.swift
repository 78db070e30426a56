public import Foundation
public import TrainingCore
package import TrainingDatasets

/// Inference for one trainable method: which model a call gets, whether its caller may use it,
/// how many calls run at once, and where they run. Transport-free: `TrainingGRPC` adds the
/// calls that take a request's metadata (`infer(modelID:metadata:_:)`), the gateway asks it for
/// a model's directory before forwarding a call.
///
/// ```swift
/// let stt = try training.endpoint(service: "service.ExampleService", method: "stt", trainer: SpeechTrainer(), defaultModel: model)
/// let word = try await stt.infer(modelID: id, caller: InferenceCaller(address: payer)) { model in try model.recognize(wav: clip).word }
/// ```
///
/// An empty id or the method's `default_model_id` gives the provider's default model; any other id
/// must name a READY_TO_USE model of this method that the method's ``ModelAccessPolicy`` lets the
/// caller use. Loaded models are cached (``InferenceLimits`` and the cache capacity bound memory
/// and concurrency).
public final class InferenceEndpoint<T: Trainer>: Sendable {
    public let method: TrainableMethod
    /// Who may use this method's trained models.
    public let access: ModelAccessPolicy
    private let trainer: T
    private let defaultModel: T.Model?
    private let registry: any ModelRegistry
    private let files: ModelFiles
    private let cache: LoadedModelCache<T.Model>
    private let gate: ConcurrencyGate
    private let executor: WorkerThreadPool
    private let metrics: InferenceMetrics

    /// - Parameters:
    ///   - cacheCapacity: trained models kept loaded (at least 1).
    ///   - limits: calls at once and queued (``InferenceLimits``); `threads` is the executor's business.
    ///   - executor: where inference runs, off Swift's cooperative pool.
    package init(
        method: TrainableMethod,
        access: ModelAccessPolicy = .open,
        trainer: T,
        defaultModel: T.Model?,
        registry: any ModelRegistry,
        files: ModelFiles,
        cacheCapacity: Int,
        limits: InferenceLimits = .defaults,
        executor: WorkerThreadPool
    ) {
        self.gate = ConcurrencyGate(name: method.name.method, limit: limits.concurrency, queueLength: limits.queueLength)
        self.executor = executor
        self.method = method
        self.access = access
        self.trainer = trainer
        self.defaultModel = defaultModel
        self.registry = registry
        self.files = files
        self.metrics = InferenceMetrics(method: method.name.method)
        self.cache = LoadedModelCache(capacity: cacheCapacity, metrics: metrics)
    }

    /// Runs `inference` with the model `modelID` names (see ``model(for:caller:)``), bounded like
    /// every inference call of this method: at most ``InferenceLimits/concurrency`` at once, a short
    /// queue, RESOURCE_EXHAUSTED past it; and on the inference threads, so a slow clip never holds
    /// Swift's cooperative pool. A call cancelled while it waits (its deadline passed) never runs.
    public func infer<R: Sendable>(
        modelID: String,
        caller: InferenceCaller,
        _ inference: @Sendable (T.Model) async throws -> R
    ) async throws -> R {
        let start = ContinuousClock.now
        defer { metrics.record(load: gate.load) }
        return try await gate.withSlot {
            metrics.record(load: gate.load)
            let model = try await self.model(for: modelID, caller: caller)
            let result = try await withTaskExecutorPreference(executor) { try await inference(model) }
            metrics.answered(since: start)
            return result
        }
    }

    /// Calls of this method running and waiting now.
    public var load: (running: Int, waiting: Int) { gate.load }

    /// Whether `modelID` means the provider's default model (empty, or the method's `default_model_id`).
    public func isDefaultModel(_ modelID: String) -> Bool {
        method.isDefaultModel(modelID)
    }

    /// The model for `modelID`, for `caller`.
    ///
    /// Throws NOT_FOUND for unknown or deleted ids and for models the caller may not use (the same
    /// answer, so a private model's existence is never revealed), INVALID_ARGUMENT for a model of
    /// another method, FAILED_PRECONDITION for one that is not READY_TO_USE (naming the next step).
    public func model(for modelID: String, caller: InferenceCaller) async throws -> T.Model {
        if method.isDefaultModel(modelID) {
            guard let defaultModel else {
                throw TrainingError.failedPrecondition(
                    "\(method.name.method) has no default model. Pass the id of a model you trained."
                )
            }
            return defaultModel
        }
        // Access is decided before anything else is said about the model.
        guard ModelIdentifier.isWellFormed(modelID), let record = try await registry.model(id: modelID),
            record.status != .deleted,
            access.allows(caller.address, toUse: record)
        else {
            throw TrainingError.modelNotFound(modelID)
        }
        guard record.method == method.name else {
            throw TrainingError.invalidArgument(
                "Model '\(modelID)' was made for \(record.method), not \(method.name). Use it with that method."
            )
        }
        guard record.status == .readyToUse, let artifact = record.artifactPath else {
            throw TrainingError.failedPrecondition(
                "Model '\(modelID)' is \(record.status.rawValue), not READY_TO_USE. \(Self.nextStep(for: record.status))"
            )
        }
        let url = files.url(forRelativePath: artifact)
        return try await cache.model(key: artifact) { [trainer] in
            do {
                return try await trainer.loadModel(artifact: url)
            } catch {
                throw TrainingError.internalError("Model '\(modelID)' could not be loaded.", cause: error)
            }
        }
    }
}

extension InferenceEndpoint {
    /// What a caller of a model that is not READY_TO_USE can do about it, by its status.
    /// In words any client can follow, like the transitions' hints: the daemon's consumers,
    /// snet-train and a provider's tools all read this message.
    package static func nextStep(for status: ModelStatus) -> String {
        switch status {
        case .created: "It has no dataset yet: upload one, wait for VALIDATED, train it, then wait for READY_TO_USE."
        case .validating: "Its dataset is being validated: once it is VALIDATED, train it, then wait for READY_TO_USE."
        case .validated: "Its dataset is validated but it is not trained yet: train it, then wait for READY_TO_USE."
        case .training: "It is training: wait until its status is READY_TO_USE; there is nothing else to do."
        case .errored: "Its last job failed (its status detail says why): upload a corrected dataset, wait for VALIDATED, then train it again."
        case .readyToUse, .deleted: ""
        }
    }
}
