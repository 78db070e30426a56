import Foundation
import Logging
import TrainingCore
import TrainingDatasets

// validate_model_price and train_model_price: the method's PricingPolicy, given what is known at
// the time of each call.
extension TrainingWorkflow {
    /// The price of validating `id`'s dataset. Only the model and the method's declared limits are
    /// known then (the SDK asks before it uploads), so the policy prices at those limits. A link is
    /// checked for its form, so a link the service would refuse outright fails before the consumer
    /// pays; its host is not contacted: a free call must not make this service fetch from, or
    /// probe, an address a caller chose.
    public func validationPrice(of id: String, link: String = "") async throws -> UInt64 {
        let (model, binding) = try await liveModel(id, toDo: "price validation for")
        try await refuseIfErrored(model, binding: binding, toDo: "price validation")
        if !link.isEmpty { try links.checkWithoutNetwork(link) }
        let request = ValidationPriceRequest(model: model, method: binding.method, link: link, datasetBytes: nil)
        return try await price(of: model) { try await $0.validationPrice(request) }
    }

    /// The price of training `id`, from its validated dataset when it has one.
    public func trainingPrice(of id: String) async throws -> UInt64 {
        let (model, binding) = try await liveModel(id, toDo: "price training for")
        try await refuseIfErrored(model, binding: binding, toDo: "price training")
        var request = TrainingPriceRequest(model: model, method: binding.method)
        if let directory = model.datasetDirectory {
            let url = files.url(forRelativePath: directory)
            do {
                request.dataset = try DatasetStatistics.measure(
                    directory: url,
                    archiveBytes: model.dataset?.byteCount ?? 0
                )
                request.datasetDirectory = url
            } catch {
                throw TrainingError.internalError(
                    "The validated dataset of model '\(id)' could not be read.",
                    cause: error
                )
            }
        }
        return try await price(of: model) { try await $0.trainingPrice(request) }
    }

    /// Runs the method's policy; an error that is not a ``TrainingError`` is a fault of the policy,
    /// not something the consumer can fix.
    private func price(of model: ModelRecord, _ ask: (any PricingPolicy) async throws -> UInt64) async throws -> UInt64 {
        do {
            return try await ask(policies[model.method].pricing)
        } catch let error as TrainingError {
            throw error
        } catch {
            logger.error(
                "pricing policy failed",
                metadata: ["model_id": "\(model.id)", "error": "\(String(reflecting: error))"]
            )
            throw TrainingError.internalError("The service could not compute a price; try again later.", cause: error)
        }
    }
}
