public import Foundation
import SwiftProtobuf

/// One method of the provider's service, as the descriptor set declares it.
public struct ProviderMethod: Sendable, Hashable {
    /// The fully qualified service (`intent.IntentClassifier`).
    public var service: String
    public var method: String
    public var clientStreaming: Bool
    public var serverStreaming: Bool
    /// The number of the input's `training.ModelID` field; nil for a method that is not trainable.
    public var modelIDField: UInt64?

    public var path: String { "\(service)/\(method)" }
}

/// Every method the gateway forwards: all methods of all services in the provider's descriptor set,
/// except the ones the gateway serves itself (`training.Model`, server reflection).
public enum ProviderMethods {
    /// Services never forwarded: the gateway answers them.
    static let servedByGateway: Set<String> = [
        "training.Model", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
    ]

    /// Reads a serialized `google.protobuf.FileDescriptorSet`.
    public static func read(descriptorSet: Data) throws -> [ProviderMethod] {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: descriptorSet)
        var messages: [String: Google_Protobuf_DescriptorProto] = [:]
        for file in set.file {
            let prefix = file.package.isEmpty ? "" : ".\(file.package)"
            for message in file.messageType { index(message, prefix: prefix, into: &messages) }
        }
        var methods: [ProviderMethod] = []
        for file in set.file {
            for service in file.service {
                let name = file.package.isEmpty ? service.name : "\(file.package).\(service.name)"
                guard !servedByGateway.contains(name) else { continue }
                for method in service.method {
                    // The daemon's rule for a trainable method: its input has a training.ModelID field.
                    let field = messages[method.inputType]?.field.first { $0.typeName == ".training.ModelID" }
                    methods.append(
                        ProviderMethod(
                            service: name,
                            method: method.name,
                            clientStreaming: method.clientStreaming,
                            serverStreaming: method.serverStreaming,
                            modelIDField: field.map { UInt64($0.number) }
                        )
                    )
                }
            }
        }
        return methods
    }

    private static func index(
        _ message: Google_Protobuf_DescriptorProto,
        prefix: String,
        into table: inout [String: Google_Protobuf_DescriptorProto]
    ) {
        let name = "\(prefix).\(message.name)"
        table[name] = message
        for nested in message.nestedType { index(nested, prefix: name, into: &table) }
    }
}
