/// Prices, in cogs, of the two paid training calls.
///
/// `validate_model_price` is asked before the upload, so the validation price can only use what is
/// known then; `train_model_price` is asked after validation and may use the stored dataset.
public protocol PricingPolicy: Sendable {
    func validationPrice(for model: ModelRecord, method: TrainableMethod) async throws -> UInt64
    func trainingPrice(for model: ModelRecord, method: TrainableMethod) async throws -> UInt64
}

/// The same price for every call, as the guide's "always return 1 cog".
public struct FlatPricing: PricingPolicy {
    public var validationCogs: UInt64
    public var trainingCogs: UInt64

    public init(validationCogs: UInt64 = 1, trainingCogs: UInt64 = 1) {
        self.validationCogs = validationCogs
        self.trainingCogs = trainingCogs
    }

    public func validationPrice(for model: ModelRecord, method: TrainableMethod) async throws -> UInt64 {
        validationCogs
    }

    public func trainingPrice(for model: ModelRecord, method: TrainableMethod) async throws -> UInt64 {
        trainingCogs
    }
}
