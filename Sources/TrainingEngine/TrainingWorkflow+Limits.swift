import Logging
import TrainingCore

// Quotas, server-wide caps and the default model's protections: the checks made before anything
// is stored or queued.
extension TrainingWorkflow {
    /// `max_models_per_user` (or the method policy's override), counted over the method's live
    /// models for every address the request names: each `address_list` entry and the caller's
    /// `snet-user-address` when present. The registry counts a model for an address when the
    /// address is in its list or created it, case-insensitively. The default model is not in the
    /// registry, so it never counts.
    func checkQuota(method: TrainableMethod, addresses: [String]) async throws {
        let limit = policies[method.name].maxModelsPerUser(for: method)
        guard limit > 0 else { return }
        for address in Set(addresses.map { $0.lowercased() }).sorted() {
            let count = try await registry.liveModelCount(method: method.name, address: address)
            if UInt64(count) >= limit {
                throw TrainingError.resourceExhausted(
                    "\(address) already has \(count) models for \(method.name.method), the most this method allows (max_models_per_user = \(limit)). Delete a model first."
                )
            }
        }
    }

    /// The server-wide cap on live models (``ServerLimits/maxLiveModels``).
    func checkModelCapacity() async throws {
        guard limits.maxLiveModels > 0 else { return }
        let live = try await registry.liveModelCount()
        if live >= limits.maxLiveModels {
            logger.warning(
                "model cap reached",
                metadata: ["live_models": "\(live)", "max_live_models": "\(limits.maxLiveModels)"]
            )
            throw TrainingError.resourceExhausted(
                "This service holds \(live) models, the most it accepts (\(limits.maxLiveModels)). Try again later, or delete a model you no longer use."
            )
        }
    }

    /// The server-wide cap on queued and running jobs (``ServerLimits/maxPendingJobs``).
    func checkJobCapacity() async throws {
        guard limits.maxPendingJobs > 0 else { return }
        let pending = try await registry.pendingJobCount()
        if pending >= limits.maxPendingJobs {
            logger.warning(
                "job cap reached",
                metadata: ["pending_jobs": "\(pending)", "max_pending_jobs": "\(limits.maxPendingJobs)"]
            )
            throw TrainingError.resourceExhausted(
                "This service already has \(pending) validation and training jobs waiting, the most it queues (\(limits.maxPendingJobs)). Try again in a few minutes."
            )
        }
    }

    /// The id a method declares as `default_model_id` always means the provider's default model:
    /// it cannot be trained, validated, uploaded to, priced or deleted.
    func rejectDefaultModel(_ id: String, toDo action: String) throws {
        guard let method = catalog.methodWithDefaultModel(id) else { return }
        throw TrainingError.failedPrecondition(
            "'\(id)' is the provider's default model for \(method.name.method); you cannot \(action) it. Create your own model with create_model."
        )
    }
}
