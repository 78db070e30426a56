/// The same price for every call, as the guide's "always return 1 cog".
public struct FlatPricing: PricingPolicy {
    public var validationCogs: UInt64
    public var trainingCogs: UInt64

    public init(validationCogs: UInt64 = 1, trainingCogs: UInt64 = 1) {
        self.validationCogs = validationCogs
        self.trainingCogs = trainingCogs
    }

    public func validationPrice(_ request: ValidationPriceRequest) async throws -> UInt64 {
        validationCogs
    }

    public func trainingPrice(_ request: TrainingPriceRequest) async throws -> UInt64 {
        trainingCogs
    }
}
