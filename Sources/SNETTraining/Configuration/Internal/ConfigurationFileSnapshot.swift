import Configuration
import Foundation
import Yams

/// A configuration file parsed once, YAML or JSON alike (YAML reads JSON): its values serve the
/// configuration reader through swift-configuration's `FileProvider`, and its dotted keys are how
/// keys that nothing reads are found (a reader looks values up by key and cannot list them).
struct ConfigurationFileSnapshot: FileConfigSnapshot {
    struct Options: FileParsingOptions {
        static var `default`: Self { Self() }
    }

    /// A value as written: one scalar, or a list of scalars.
    enum Leaf: Sendable {
        case scalar(String)
        case list([String])
    }

    struct NotAMapping: Error, CustomStringConvertible {
        var description: String { "its top level is not a mapping of keys to values" }
    }

    struct Unsupported: Error, CustomStringConvertible {
        var key: String
        var description: String { "`\(key)` holds a list of lists or of mappings, which no setting takes" }
    }

    /// The value's type is not the one asked for (`port: many`).
    struct NotConvertible: Error, CustomStringConvertible {
        var key: String
        var type: ConfigType
        var description: String { "`\(key)` is not a \(type)" }
    }

    let providerName: String
    /// Every key the file sets, dotted (`server.port`), with its value; nil for an empty value (`key:`).
    let leaves: [String: Leaf?]

    var keys: Set<String> { Set(leaves.keys) }

    init(data: RawSpan, providerName: String, parsingOptions: Options) throws {
        self.providerName = providerName
        var leaves: [String: Leaf?] = [:]
        let text = data.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        if let root = try Yams.compose(yaml: text) {
            guard case .mapping(let mapping) = root else { throw NotAMapping() }
            try Self.flatten(mapping, prefix: [], into: &leaves)
        }
        self.leaves = leaves
    }

    private static func flatten(_ mapping: Node.Mapping, prefix: [String], into leaves: inout [String: Leaf?]) throws {
        for (keyNode, value) in mapping {
            let path = prefix + [keyNode.string ?? "\(keyNode)"]
            let key = path.joined(separator: ".")
            switch value {
            case .mapping(let inner): try flatten(inner, prefix: path, into: &leaves)
            case .scalar(let scalar): leaves[key] = NSNull.construct(from: scalar) != nil ? .some(nil) : .scalar(scalar.string)
            case .sequence(let items):
                leaves[key] = .list(
                    try items.map { item in
                        guard case .scalar(let scalar) = item else { throw Unsupported(key: key) }
                        return scalar.string
                    })
            case .alias: throw Unsupported(key: key)
            }
        }
    }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        let name = key.components.joined(separator: ".")
        guard case .some(.some(let leaf)) = leaves[name] else { return LookupResult(encodedKey: name, value: nil) }
        let content: ConfigContent
        switch (type, leaf) {
        case (.string, .scalar(let text)): content = .string(text)
        case (.int, .scalar(let text)):
            guard let number = Int(text) else { throw NotConvertible(key: name, type: type) }
            content = .int(number)
        case (.double, .scalar(let text)):
            guard let number = Double(text) else { throw NotConvertible(key: name, type: type) }
            content = .double(number)
        case (.bool, .scalar(let text)):
            guard let truth = Bool(text.lowercased()) else { throw NotConvertible(key: name, type: type) }
            content = .bool(truth)
        case (.stringArray, .list(let items)): content = .stringArray(items)
        case (.intArray, .list(let items)):
            let numbers = items.compactMap { Int($0) }
            guard numbers.count == items.count else { throw NotConvertible(key: name, type: type) }
            content = .intArray(numbers)
        default: throw NotConvertible(key: name, type: type)
        }
        return LookupResult(encodedKey: name, value: ConfigValue(content, isSecret: false))
    }

    var description: String { "\(providerName)[\(leaves.count) values]" }
    var debugDescription: String { description }
}
