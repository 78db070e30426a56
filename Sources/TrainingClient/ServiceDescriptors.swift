public import Foundation
public import SwiftProtobuf
import TrainingProto

/// The proto files that describe a server's services, read through server reflection or from a
/// descriptor set file: what the daemon reads from the service metadata, and what `call` needs to
/// build a request.
public struct ServiceDescriptors: Sendable {
    /// The files, each once, with `training.*` method options readable.
    public let files: [Google_Protobuf_FileDescriptorProto]
    /// The services to describe (fully-qualified), in order. From reflection, the served ones;
    /// from a file, every service it defines.
    public let services: [String]

    public init(files: [Google_Protobuf_FileDescriptorProto], services: [String]? = nil) {
        var seen: Set<String> = []
        self.files = files.filter { seen.insert($0.name).inserted }
        self.services = services ?? self.files.flatMap { file in file.service.map { Self.join(file.package, $0.name) } }.sorted()
    }

    /// Reads a serialized `google.protobuf.FileDescriptorSet` (`protoc --include_imports --descriptor_set_out`).
    public init(descriptorSet: Data) throws {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: descriptorSet, extensions: Training_Training_Extensions)
        self.init(files: set.file)
    }

    /// Parses serialized `FileDescriptorProto`s, as reflection sends them.
    public init(serializedFiles: [Data], services: [String]) throws {
        self.init(
            files: try serializedFiles.map {
                try Google_Protobuf_FileDescriptorProto(serializedBytes: $0, extensions: Training_Training_Extensions)
            },
            services: services
        )
    }

    /// A service by fully-qualified name, or by short name when that is unambiguous.
    public func service(named name: String) -> (package: String, service: Google_Protobuf_ServiceDescriptorProto)? {
        let matches = files.flatMap { file in
            file.service.compactMap { service -> (String, Google_Protobuf_ServiceDescriptorProto)? in
                let full = Self.join(file.package, service.name)
                return full == name || service.name == name ? (file.package, service) : nil
            }
        }
        if let exact = matches.first(where: { Self.join($0.0, $0.1.name) == name }) { return exact }
        return matches.count == 1 ? matches[0] : nil
    }

    /// A message by fully-qualified name (with or without the leading dot).
    public func message(named name: String) -> Google_Protobuf_DescriptorProto? {
        messages[name.hasPrefix(".") ? name : "." + name]
    }

    /// An enum by fully-qualified name (with or without the leading dot).
    public func enumeration(named name: String) -> Google_Protobuf_EnumDescriptorProto? {
        enums[name.hasPrefix(".") ? name : "." + name]
    }

    private var messages: [String: Google_Protobuf_DescriptorProto] {
        var table: [String: Google_Protobuf_DescriptorProto] = [:]
        func add(_ message: Google_Protobuf_DescriptorProto, scope: String) {
            let name = "\(scope).\(message.name)"
            table[name] = message
            for nested in message.nestedType { add(nested, scope: name) }
        }
        for file in files {
            for message in file.messageType { add(message, scope: file.package.isEmpty ? "" : ".\(file.package)") }
        }
        return table
    }

    private var enums: [String: Google_Protobuf_EnumDescriptorProto] {
        var table: [String: Google_Protobuf_EnumDescriptorProto] = [:]
        func add(_ message: Google_Protobuf_DescriptorProto, scope: String) {
            let name = "\(scope).\(message.name)"
            for enumeration in message.enumType { table["\(name).\(enumeration.name)"] = enumeration }
            for nested in message.nestedType { add(nested, scope: name) }
        }
        for file in files {
            let scope = file.package.isEmpty ? "" : ".\(file.package)"
            for enumeration in file.enumType { table["\(scope).\(enumeration.name)"] = enumeration }
            for message in file.messageType { add(message, scope: scope) }
        }
        return table
    }

    static func join(_ package: String, _ name: String) -> String {
        package.isEmpty ? name : "\(package).\(name)"
    }
}
