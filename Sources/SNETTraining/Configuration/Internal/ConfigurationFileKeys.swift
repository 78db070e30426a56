import Foundation
import Yams

/// The dotted keys a configuration file sets, so keys nothing reads can be reported: swift-configuration
/// looks values up by key and cannot list what a file contains.
enum ConfigurationFileKeys {
    static func read(path: String) throws -> Set<String> {
        let data = try Data(contentsOf: URL(filePath: path))
        var keys: Set<String> = []
        if path.lowercased().hasSuffix(".json") {
            flatten(json: try JSONSerialization.jsonObject(with: data), prefix: [], into: &keys)
        } else if let node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) {
            flatten(yaml: node, prefix: [], into: &keys)
        }
        return keys
    }

    private static func flatten(json: Any, prefix: [String], into keys: inout Set<String>) {
        guard let object = json as? [String: Any] else {
            if !prefix.isEmpty { keys.insert(prefix.joined(separator: ".")) }
            return
        }
        for (key, value) in object { flatten(json: value, prefix: prefix + [key], into: &keys) }
    }

    private static func flatten(yaml node: Node, prefix: [String], into keys: inout Set<String>) {
        guard case .mapping(let mapping) = node else {
            if !prefix.isEmpty { keys.insert(prefix.joined(separator: ".")) }
            return
        }
        for (key, value) in mapping {
            flatten(yaml: value, prefix: prefix + [key.string ?? "\(key)"], into: &keys)
        }
    }
}
