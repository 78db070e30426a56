/// Prices that grow with the dataset: `base + perMebibyte × MiB started + perFile × files`, kept between
/// `minimum` and `maximum`. Integer arithmetic only; sums and products saturate instead of wrapping.
///
/// - Validation is priced before the dataset exists (the SDK asks before uploading), so its size is
///   the one a link reports (``ValidationPriceRequest/datasetBytes``) or else the method's declared
///   `dataset_max_size_mb`, and its file count the declared `dataset_max_count_files`: the consumer
///   pays for the largest dataset the method accepts. A quantity with a rate but no declared limit
///   prices the call at ``Rate/maximum``.
/// - Training is priced on the validated dataset: its uncompressed bytes and its file count. Asked
///   before any validation, it is priced like validation.
///
/// ```swift
/// // 100 cogs to validate; training 1 000 + 50 per MiB + 1 per file, at most 100 000.
/// let pricing = DatasetPricing(
///     validation: .init(base: 100),
///     training: .init(base: 1_000, perMebibyte: 50, perFile: 1, maximum: 100_000)
/// )
/// ```
public struct DatasetPricing: PricingPolicy {
    /// One call's price rule.
    public struct Rate: Sendable, Hashable {
        /// Cogs charged for any dataset.
        public var base: UInt64
        /// Cogs per started mebibyte (1 048 576 bytes): 1 byte counts as 1 MiB, 1 MiB + 1 byte as 2.
        public var perMebibyte: UInt64
        /// Cogs per file in the dataset.
        public var perFile: UInt64
        /// The lowest price charged.
        public var minimum: UInt64
        /// The highest price charged; wins over ``minimum`` if the two disagree.
        public var maximum: UInt64

        public init(
            base: UInt64 = 0,
            perMebibyte: UInt64 = 0,
            perFile: UInt64 = 0,
            minimum: UInt64 = 0,
            maximum: UInt64 = .max
        ) {
            self.base = base
            self.perMebibyte = perMebibyte
            self.perFile = perFile
            self.minimum = minimum
            self.maximum = maximum
        }

        /// The price of a dataset of `bytes` and `files`; nil stands for "unknown and unbounded".
        public func price(bytes: UInt64?, files: UInt64?) -> UInt64 {
            if (perMebibyte > 0 && bytes == nil) || (perFile > 0 && files == nil) { return maximum }
            let mebibytes = Self.startedMebibytes(bytes ?? 0)
            let total =
                base
                .addingSaturating(perMebibyte.multipliedSaturating(by: mebibytes))
                .addingSaturating(perFile.multipliedSaturating(by: files ?? 0))
            return Swift.min(Swift.max(total, minimum), maximum)
        }

        static func startedMebibytes(_ bytes: UInt64) -> UInt64 {
            let mebibyte: UInt64 = 1 << 20
            return bytes / mebibyte + (bytes % mebibyte == 0 ? 0 : 1)
        }
    }

    public var validation: Rate
    public var training: Rate

    public init(validation: Rate, training: Rate) {
        self.validation = validation
        self.training = training
    }

    public func validationPrice(_ request: ValidationPriceRequest) async throws -> UInt64 {
        let options = request.method.options
        return validation.price(
            bytes: request.datasetBytes ?? options.datasetMaxBytes,
            files: Self.declared(options.datasetMaxCountFiles)
        )
    }

    public func trainingPrice(_ request: TrainingPriceRequest) async throws -> UInt64 {
        guard let dataset = request.dataset else {
            let options = request.method.options
            return training.price(bytes: options.datasetMaxBytes, files: Self.declared(options.datasetMaxCountFiles))
        }
        return training.price(bytes: dataset.totalBytes, files: dataset.fileCount)
    }

    /// A declared limit, where 0 means "no limit".
    private static func declared(_ limit: UInt64) -> UInt64? { limit > 0 ? limit : nil }
}
