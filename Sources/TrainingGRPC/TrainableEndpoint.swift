import Foundation
public import GRPCCore
public import TrainingCore
package import TrainingDatasets

/// What a provider's inference handler uses to get the model a request names.
///
/// ```swift
/// func stt(request: ServerRequest<Service_sttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
///     let model = try await stt.model(for: request.message.modelID.modelID, metadata: request.metadata)
///     …
/// }
/// ```
/// An empty id or the method's `default_model_id` gives the provider's default model; any other id
/// must name a READY_TO_USE model of this method that the method's ``ModelAccessPolicy`` lets the
/// caller use. Pass the request's metadata: the caller is its `snet-user-address`, which the daemon
/// sets on paid calls.
public final class TrainableEndpoint<T: Trainer>: Sendable {
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
    /// Swift's cooperative pool.
    ///
    /// ```swift
    /// let word = try await stt.infer(modelID: id, metadata: request.metadata) { model in try model.recognize(wav: clip).word }
    /// ```
    public func infer<R: Sendable>(
        modelID: String,
        metadata: Metadata,
        _ inference: @Sendable (T.Model) async throws -> R
    ) async throws -> R {
        let caller = ModelServiceHandler.callerAddress(in: metadata)
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

    /// The model for `modelID`, for the caller whose `snet-user-address` is in `metadata`.
    public func model(for modelID: String, metadata: Metadata) async throws -> T.Model {
        try await model(for: modelID, caller: ModelServiceHandler.callerAddress(in: metadata))
    }

    /// The model for `modelID`, for `caller` (an Ethereum address; nil for a call without one).
    ///
    /// Throws NOT_FOUND for unknown or deleted ids and for models the caller may not use (the same
    /// answer, so a private model's existence is never revealed), INVALID_ARGUMENT for a model of
    /// another method, FAILED_PRECONDITION for one that is not READY_TO_USE.
    public func model(for modelID: String, caller: String?) async throws -> T.Model {
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
            access.allows(caller, toUse: record)
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

extension TrainableEndpoint {
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

/// Recently used models, so inference does not read an artifact from disk on every call. Keyed by
/// artifact path, which changes whenever a model is retrained.
actor LoadedModelCache<Model: Sendable> {
    private let capacity: Int
    private let metrics: InferenceMetrics
    private var entries: [String: Task<Model, any Error>] = [:]
    private var order: [String] = []

    init(capacity: Int, metrics: InferenceMetrics) {
        self.capacity = max(1, capacity)
        self.metrics = metrics
    }

    func model(key: String, load: @escaping @Sendable () async throws -> Model) async throws -> Model {
        let task: Task<Model, any Error>
        if let existing = entries[key] {
            task = existing
            order.removeAll { $0 == key }
            metrics.cache(hit: true)
        } else {
            task = Task { try await load() }
            entries[key] = task
            metrics.cache(hit: false)
            if order.count >= capacity {
                entries[order.removeFirst()] = nil
                metrics.cacheEvicted()
            }
        }
        order.append(key)
        do {
            return try await task.value
        } catch {
            entries[key] = nil  // a failed load is not cached
            throw error
        }
    }
}
