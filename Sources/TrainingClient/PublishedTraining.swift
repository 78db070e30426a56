import SwiftProtobuf
public import TrainingCore
import TrainingProto

/// What the daemon publishes to consumers about a service's training, read from its protos the way
/// the daemon reads them: `get_training_metadata` (which methods are trainable, per service) and
/// `get_method_metadata` (each one's `training.*` options, verbatim), plus the mistakes a provider
/// can make in them.
public struct PublishedTraining: Sendable, Codable {
    /// One trainable method and its options as `get_method_metadata` returns them.
    public struct Method: Sendable, Codable, Hashable {
        public var service: String
        public var method: String
        /// The input message, whose `training.ModelID` field makes the method trainable.
        public var inputType: String
        /// That field's name (e.g. `model_id`).
        public var modelIDField: String
        public var defaultModelID: String
        public var maxModelsPerUser: UInt64
        public var datasetMaxSizeMB: UInt64
        public var datasetMaxCountFiles: UInt64
        public var datasetMaxSizeSingleFileMB: UInt64
        public var datasetFilesType: String
        public var datasetType: String
        public var datasetDescription: String

        /// The options as this library reads them (lists parsed, limits as numbers).
        public var options: TrainingOptions {
            TrainingOptions(
                defaultModelID: defaultModelID, maxModelsPerUser: maxModelsPerUser, datasetMaxSizeMB: datasetMaxSizeMB,
                datasetMaxCountFiles: datasetMaxCountFiles, datasetMaxSizeSingleFileMB: datasetMaxSizeSingleFileMB,
                datasetFilesTypes: TrainingOptions.parseList(datasetFilesType), datasetTypes: TrainingOptions.parseList(datasetType),
                datasetDescription: datasetDescription
            )
        }

        /// `service/method`.
        public var fullName: String { "\(service)/\(method)" }
    }

    /// `trainingInProto`: whether any method is trainable.
    public var trainingInProto: Bool { !methods.isEmpty }
    /// `trainingMethods`: service → its trainable methods' names.
    public var trainingMethods: [String: [String]]
    public var methods: [Method]
    /// Mistakes in the published options, each naming the method and what to change.
    public var warnings: [String]

    /// Reads the trainable methods of `descriptors.services`.
    public init(_ descriptors: ServiceDescriptors) {
        var methods: [Method] = []
        for serviceName in descriptors.services {
            guard let (_, service) = descriptors.service(named: serviceName) else { continue }
            for method in service.method {
                guard let input = descriptors.message(named: method.inputType),
                    let field = input.field.first(where: { $0.typeName == ".training.ModelID" })
                else { continue }
                let options = method.options
                methods.append(
                    Method(
                        service: serviceName, method: method.name,
                        inputType: String(method.inputType.drop(while: { $0 == "." })), modelIDField: field.name,
                        defaultModelID: options.Training_defaultModelID, maxModelsPerUser: options.Training_maxModelsPerUser,
                        datasetMaxSizeMB: options.Training_datasetMaxSizeMb, datasetMaxCountFiles: options.Training_datasetMaxCountFiles,
                        datasetMaxSizeSingleFileMB: options.Training_datasetMaxSizeSingleFileMb,
                        datasetFilesType: options.Training_datasetFilesType, datasetType: options.Training_datasetType,
                        datasetDescription: options.Training_datasetDescription
                    ))
            }
        }
        self.methods = methods
        self.trainingMethods = Dictionary(grouping: methods, by: \.service).mapValues { $0.map(\.method) }
        self.warnings = methods.flatMap(Self.warnings(for:))
        if methods.isEmpty {
            warnings.append("No method is trainable: none has an input message with a training.ModelID field, so the daemon publishes trainingInProto = false.")
        }
    }

    /// The archive types this library's server can read.
    public static let knownDatasetTypes: Set<String> = ["zip", "tar", "tar.gz", "tgz"]

    static func warnings(for method: Method) -> [String] {
        var warnings: [String] = []
        let name = method.fullName
        if method.datasetMaxSizeMB == 0 && method.datasetMaxCountFiles == 0 && method.datasetMaxSizeSingleFileMB == 0 {
            warnings.append(
                "\(name) declares no dataset limits: set training.dataset_max_size_mb, dataset_max_count_files and dataset_max_size_single_file_mb, or consumers may upload any amount."
            )
        } else if method.datasetMaxSizeMB == 0 {
            warnings.append("\(name) has no training.dataset_max_size_mb: the archive's size is unlimited.")
        }
        let types = TrainingOptions.parseList(method.datasetType)
        let unknown = types.filter { !knownDatasetTypes.contains($0) }
        if !unknown.isEmpty {
            warnings.append(
                "\(name) declares dataset_type \(unknown.map { "'\($0)'" }.joined(separator: ", ")), which is not an archive type the server reads (zip, tar, tar.gz): consumers' uploads of it will be refused."
            )
        }
        if types.isEmpty {
            warnings.append("\(name) has no training.dataset_type: tell consumers which archive types to send (zip, tar, tar.gz).")
        }
        if method.datasetFilesType.isEmpty {
            warnings.append("\(name) has no training.dataset_files_type: any file type is accepted inside the archive.")
        }
        return warnings
    }
}
