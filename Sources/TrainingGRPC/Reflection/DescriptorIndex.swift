import Foundation
import SwiftProtobuf

/// What server reflection answers from: every file of the descriptor sets the server was built
/// with, the symbols each one declares, and the extensions it defines.
///
/// Files are kept as the bytes `protoc` wrote them (parsed without extension types, so custom
/// options such as `training.dataset_max_size_mb` stay unknown fields and are re-serialized exactly),
/// which is what a reflection client must receive to read the training options.
struct DescriptorIndex: Sendable {
    struct ExtensionKey: Hashable {
        var extendee: String
        var number: Int32
    }

    /// File name → serialized `FileDescriptorProto`.
    private(set) var files: [String: Data] = [:]
    /// File name → the names of the files it imports.
    private(set) var dependencies: [String: [String]] = [:]
    /// Fully-qualified symbol (no leading dot) → the file declaring it.
    private(set) var symbols: [String: String] = [:]
    /// Fully-qualified message name → its known extension numbers.
    private(set) var extensionNumbers: [String: Set<Int32>] = [:]
    /// (extended message, field number) → the file declaring the extension.
    private(set) var extensions: [ExtensionKey: String] = [:]
    /// Fully-qualified names of the services the files define, sorted.
    private(set) var services: [String] = []
    private var messages: Set<String> = []

    /// Indexes serialized `google.protobuf.FileDescriptorSet`s. A file that appears in several sets
    /// (such as `descriptor.proto`) is kept once.
    init(descriptorSets: [Data]) throws {
        var services: Set<String> = []
        for data in descriptorSets {
            let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: data)
            for file in set.file where files[file.name] == nil {
                files[file.name] = try file.serializedData()
                dependencies[file.name] = file.dependency
                let scope = file.package
                for message in file.messageType { index(message, scope: scope, file: file.name) }
                for enumeration in file.enumType { index(enumeration, scope: scope, file: file.name) }
                for field in file.extension { index(extension: field, scope: scope, file: file.name) }
                for service in file.service {
                    let name = Self.join(scope, service.name)
                    services.insert(name)
                    symbols[name] = file.name
                    for method in service.method { symbols[Self.join(name, method.name)] = file.name }
                }
            }
        }
        self.services = services.sorted()
    }

    /// `name` and every file it imports, directly or not, each once: the file first, then its
    /// dependencies breadth first, as reflection clients expect to build a descriptor pool.
    func fileWithDependencies(_ name: String) -> [Data]? {
        guard files[name] != nil else { return nil }
        var order: [String] = [name]
        var seen: Set<String> = [name]
        var next = 0
        while next < order.count {
            for dependency in dependencies[order[next]] ?? [] where !seen.contains(dependency) && files[dependency] != nil {
                seen.insert(dependency)
                order.append(dependency)
            }
            next += 1
        }
        return order.compactMap { files[$0] }
    }

    /// Whether `name` is a message type the index knows.
    func isMessage(_ name: String) -> Bool {
        messages.contains(name)
    }

    private mutating func index(_ message: Google_Protobuf_DescriptorProto, scope: String, file: String) {
        let name = Self.join(scope, message.name)
        symbols[name] = file
        messages.insert(name)
        for field in message.field { symbols[Self.join(name, field.name)] = file }
        for oneof in message.oneofDecl { symbols[Self.join(name, oneof.name)] = file }
        for nested in message.nestedType { index(nested, scope: name, file: file) }
        for enumeration in message.enumType { index(enumeration, scope: name, file: file) }
        for field in message.extension { index(extension: field, scope: name, file: file) }
    }

    private mutating func index(_ enumeration: Google_Protobuf_EnumDescriptorProto, scope: String, file: String) {
        symbols[Self.join(scope, enumeration.name)] = file
        // Enum values are scoped as siblings of their enum (C++ scoping rules), as protoc resolves them.
        for value in enumeration.value { symbols[Self.join(scope, value.name)] = file }
    }

    private mutating func index(extension field: Google_Protobuf_FieldDescriptorProto, scope: String, file: String) {
        symbols[Self.join(scope, field.name)] = file
        let extendee = field.extendee.hasPrefix(".") ? String(field.extendee.dropFirst()) : field.extendee
        extensionNumbers[extendee, default: []].insert(field.number)
        extensions[ExtensionKey(extendee: extendee, number: field.number)] = file
    }

    private static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }
}
