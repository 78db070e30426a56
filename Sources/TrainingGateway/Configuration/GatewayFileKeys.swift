import Foundation
import Yams

/// The configuration file as the library's reader should see it: without the keys only the gateway
/// reads (`provider`, `methods.<method>.trainer`), which that reader would refuse as unknown.
enum GatewayFileKeys {
    /// Writes a copy of the file without the gateway's sections; returns its path (nil without a file).
    static func withoutGatewayKeys(_ path: String?, readKeys: Set<String>) throws -> String? {
        guard let path else { return nil }
        let data = try Data(contentsOf: URL(filePath: path))
        let json = path.lowercased().hasSuffix(".json")
        let parsed: Any? = json ? try JSONSerialization.jsonObject(with: data) : try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        guard var root = parsed as? [String: Any] else { return nil }  // not a mapping: the library reports it
        root["provider"] = nil
        if var methods = root["methods"] as? [String: Any] {
            for (name, section) in methods {
                guard var section = section as? [String: Any] else { continue }
                section["trainer"] = nil
                methods[name] = section.isEmpty ? nil : section
            }
            root["methods"] = methods.isEmpty ? nil : methods
        }
        let copy = FileManager.default.temporaryDirectory
            .appending(path: "training-gateway-\(UUID().uuidString)\(json ? ".json" : ".yaml")")
        let text = json ? try JSONSerialization.data(withJSONObject: root) : Data(try Yams.dump(object: root).utf8)
        try text.write(to: copy)
        return copy.path(percentEncoded: false)
    }

    /// A message about the copy, made to name the real file.
    static func renamed(_ text: String, from copy: String?, to original: String?) -> String {
        guard let copy, let original else { return text }
        return text.replacingOccurrences(of: copy, with: original)
    }
}
