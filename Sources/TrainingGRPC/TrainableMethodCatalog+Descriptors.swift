public import Foundation
import SwiftProtobuf
public import TrainingCore
import TrainingProto

/// The service's trainable methods, read from its FileDescriptorSet the way the daemon reads the
/// published service proto: a method is trainable when its input message has a field of type
/// `training.ModelID`, and its `training.*` method options are its training metadata. The proto is
/// the single source of these limits; nothing is declared twice.
public struct TrainableMethodCatalog: Sendable {
    /// Trainable methods by name.
    public let methods: [MethodName: TrainableMethod]
    /// Every service the descriptor set defines, for reporting.
    public let services: [String]

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
        var methods: [MethodName: TrainableMethod] = [:]
        var services: [String] = []
        for file in set.file {
            for service in file.service {
                let serviceName = file.package.isEmpty ? service.name : "\(file.package).\(service.name)"
                services.append(serviceName)
                for method in service.method {
                    guard let input = messages[method.inputType],
                        input.field.contains(where: { $0.typeName == ".training.ModelID" })
                    else { continue }
                    let name = MethodName(service: serviceName, method: method.name)
                    methods[name] = TrainableMethod(name: name, options: Self.options(of: method.options))
                }
            }
        }
        self.methods = methods
        self.services = services.sorted()
    }

    /// Finds a method as the consumer named it: the service fully qualified (`service.ExampleService`)
    /// or, when that is unambiguous, by its short name (`ExampleService`).
    public func method(service: String, method: String) -> TrainableMethod? {
        if let exact = methods[MethodName(service: service, method: method)] { return exact }
        let candidates = methods.values.filter {
            $0.name.method == method && $0.name.service.split(separator: ".").last.map(String.init) == service
        }
        return candidates.count == 1 ? candidates.first : nil
    }

    /// `service.ExampleService/stt, …` for error messages.
    public var trainableList: String {
        methods.keys.sorted().map(\.description).joined(separator: ", ")
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
