public import Foundation
import SwiftProtobuf
import TrainingCore
public import TrainingEngine
import TrainingProto

// The catalog read from the service's FileDescriptorSet the way the daemon reads the published
// service proto: a method is trainable when its input message has a field of type
// `training.ModelID`, and its `training.*` method options are its training metadata. The proto is
// the single source of these limits; nothing is declared twice.
extension TrainableMethodCatalog {
    /// Reads a serialized `google.protobuf.FileDescriptorSet` (`protoc --include_imports
    /// --descriptor_set_out=…`).
    public init(descriptorSet: Data) throws {
        let set: Google_Protobuf_FileDescriptorSet
        do {
            set = try Google_Protobuf_FileDescriptorSet(serializedBytes: descriptorSet, extensions: Training_Training_Extensions)
        } catch {
            throw TrainingError.internalError("The service's descriptor set is not a FileDescriptorSet.", cause: error)
        }
        var messages: [String: Google_Protobuf_DescriptorProto] = [:]
        for file in set.file {
            let prefix = file.package.isEmpty ? "" : ".\(file.package)"
            for message in file.messageType { Self.index(message, prefix: prefix, into: &messages) }
        }
        var methods: [TrainableMethod] = []
        for file in set.file {
            for service in file.service {
                let serviceName = file.package.isEmpty ? service.name : "\(file.package).\(service.name)"
                for method in service.method {
                    guard let input = messages[method.inputType],
                        input.field.contains(where: { $0.typeName == ".training.ModelID" })
                    else { continue }
                    let name = MethodName(service: serviceName, method: method.name)
                    methods.append(TrainableMethod(name: name, options: Self.options(of: method.options)))
                }
            }
        }
        self.init(methods: methods)
    }

    private static func index(_ message: Google_Protobuf_DescriptorProto, prefix: String, into table: inout [String: Google_Protobuf_DescriptorProto]) {
        let fullName = "\(prefix).\(message.name)"
        table[fullName] = message
        for nested in message.nestedType { index(nested, prefix: fullName, into: &table) }
    }

    private static func options(of options: Google_Protobuf_MethodOptions) -> TrainingOptions {
        TrainingOptions(
            defaultModelID: options.Training_defaultModelID,
            maxModelsPerUser: options.Training_maxModelsPerUser,
            datasetMaxSizeMB: options.Training_datasetMaxSizeMb,
            datasetMaxCountFiles: options.Training_datasetMaxCountFiles,
            datasetMaxSizeSingleFileMB: options.Training_datasetMaxSizeSingleFileMb,
            datasetFilesTypes: TrainingOptions.parseList(options.Training_datasetFilesType),
            datasetTypes: TrainingOptions.parseList(options.Training_datasetType),
            datasetDescription: options.Training_datasetDescription
        )
    }
}
