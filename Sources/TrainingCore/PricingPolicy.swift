public import Foundation

/// Prices, in cogs (the smallest unit of the token), of the two paid training calls of one method.
///
/// The order of the daemon's calls decides what a price can depend on: the SDK asks
/// `validate_model_price` *before* it uploads, so a validation price only knows the model, the
/// method's declared limits and, for `validate_model`, the link (``ValidationPriceRequest``);
/// `train_model_price` is asked after validation and knows the validated dataset
/// (``TrainingPriceRequest``).
///
/// Plug in your own policy per method with ``MethodPolicy/pricing``:
///
/// ```swift
/// struct PerWordPricing: PricingPolicy {
///     func validationPrice(_ request: ValidationPriceRequest) async throws -> UInt64 { 100 }
///     func trainingPrice(_ request: TrainingPriceRequest) async throws -> UInt64 {
///         guard let folder = request.datasetDirectory else { return 10_000 }
///         let words = try FileManager.default.contentsOfDirectory(atPath: folder.path)
///         return 1_000 &+ 500 * UInt64(min(words.count, 1_000))
///     }
/// }
/// ```
/// A thrown ``TrainingError`` reaches the consumer with its code; any other error becomes INTERNAL.
public protocol PricingPolicy: Sendable {
    /// The price of `upload_and_validate` or `validate_model` for `request.model`.
    func validationPrice(_ request: ValidationPriceRequest) async throws -> UInt64
    /// The price of `train_model` for `request.model`.
    func trainingPrice(_ request: TrainingPriceRequest) async throws -> UInt64
}

/// What is known when `validate_model_price` is asked.
public struct ValidationPriceRequest: Sendable {
    public var model: ModelRecord
    public var method: TrainableMethod
    /// The request's `training_data_link`; empty when the consumer is about to upload (the SDK's case).
    public var link: String
    /// The size of the dataset to validate, when it can be known before validation (a link whose
    /// size the service could learn); nil when only the method's declared limits bound it.
    public var datasetBytes: UInt64?

    public init(model: ModelRecord, method: TrainableMethod, link: String = "", datasetBytes: UInt64? = nil) {
        self.model = model
        self.method = method
        self.link = link
        self.datasetBytes = datasetBytes
    }
}

/// What is known when `train_model_price` is asked.
public struct TrainingPriceRequest: Sendable {
    public var model: ModelRecord
    public var method: TrainableMethod
    /// Totals of the validated dataset; nil while the model has none (before its first validation).
    public var dataset: DatasetStatistics?
    /// The extracted, validated dataset, for policies that price by content; nil like ``dataset``.
    public var datasetDirectory: URL?

    public init(
        model: ModelRecord,
        method: TrainableMethod,
        dataset: DatasetStatistics? = nil,
        datasetDirectory: URL? = nil
    ) {
        self.model = model
        self.method = method
        self.dataset = dataset
        self.datasetDirectory = datasetDirectory
    }
}
