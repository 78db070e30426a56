/// The `training.*` options a service proto declares on a trainable method: what the daemon hands
/// to consumers, and what this service enforces (the daemon enforces none of them).
///
/// Limits of 0 and empty lists mean "no limit", as in the SDK's own check.
public struct TrainingOptions: Sendable, Hashable {
    /// The model id that means "the provider's default model".
    public var defaultModelID: String
    public var maxModelsPerUser: UInt64
    public var datasetMaxSizeMB: UInt64
    public var datasetMaxCountFiles: UInt64
    public var datasetMaxSizeSingleFileMB: UInt64
    /// Allowed file types inside the archive, lower-cased, without dots (`wav`).
    public var datasetFilesTypes: [String]
    /// Allowed archive types, lower-cased (`zip`, `tar`, `tar.gz`).
    public var datasetTypes: [String]
    public var datasetDescription: String

    public init(
        defaultModelID: String = "",
        maxModelsPerUser: UInt64 = 0,
        datasetMaxSizeMB: UInt64 = 0,
        datasetMaxCountFiles: UInt64 = 0,
        datasetMaxSizeSingleFileMB: UInt64 = 0,
        datasetFilesTypes: [String] = [],
        datasetTypes: [String] = [],
        datasetDescription: String = ""
    ) {
        self.defaultModelID = defaultModelID
        self.maxModelsPerUser = maxModelsPerUser
        self.datasetMaxSizeMB = datasetMaxSizeMB
        self.datasetMaxCountFiles = datasetMaxCountFiles
        self.datasetMaxSizeSingleFileMB = datasetMaxSizeSingleFileMB
        self.datasetFilesTypes = datasetFilesTypes
        self.datasetTypes = datasetTypes
        self.datasetDescription = datasetDescription
    }

    /// Splits a comma-separated option (`"png, mp4, txt"`) the way the SDK does: spaces removed,
    /// empty items dropped; lower-cased and without leading dots so comparisons are case-insensitive.
    public static func parseList(_ option: String) -> [String] {
        option
            .filter { !$0.isWhitespace }
            .split(separator: ",")
            .map { $0.lowercased() }
            .map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
            .filter { !$0.isEmpty }
    }

    /// `dataset_max_size_mb` in bytes (MiB, as the SDK counts), or nil for no limit.
    public var datasetMaxBytes: UInt64? { Self.mebibytes(datasetMaxSizeMB) }
    /// `dataset_max_size_single_file_mb` in bytes, or nil for no limit.
    public var singleFileMaxBytes: UInt64? { Self.mebibytes(datasetMaxSizeSingleFileMB) }

    private static func mebibytes(_ value: UInt64) -> UInt64? {
        guard value > 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: 1024 * 1024)
        return overflow ? UInt64.max : bytes
    }
}

/// A method of the service whose input carries a `training.ModelID`, with its training options.
public struct TrainableMethod: Sendable, Hashable {
    public var name: MethodName
    public var options: TrainingOptions

    public init(name: MethodName, options: TrainingOptions) {
        self.name = name
        self.options = options
    }

    /// Whether `modelID` asks for the default model: empty, or the method's `default_model_id`.
    public func isDefaultModel(_ modelID: String) -> Bool {
        modelID.isEmpty || (!options.defaultModelID.isEmpty && modelID == options.defaultModelID)
    }
}
