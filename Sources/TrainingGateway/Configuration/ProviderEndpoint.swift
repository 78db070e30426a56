import Foundation

/// `provider.endpoint` (`host:port`, or `http://host:port` / `https://host:port` as in the daemon's
/// configuration), `provider.tls`, `provider.caFile` and `provider.maxResponseMessageBytes`.
struct ProviderEndpoint {
    var host: String
    var port: Int
    var tls: Bool
    var caFile: String?
    var maxResponseMessageBytes: Int

    static func read(_ settings: GatewaySettingsReader) -> ProviderEndpoint? {
        let key = "provider.endpoint"
        var tls = settings.bool("provider.tls") ?? false
        let caFile = settings.string("provider.caFile").map(settings.resolvedPath)
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            settings.problem("provider.caFile", "\(caFile)\(settings.origin("provider.caFile")) cannot be read.")
        }
        let maxBytes = settings.int("provider.maxResponseMessageBytes", in: 1_024...Int(Int32.max)) ?? 8 * 1024 * 1024
        guard var text = settings.string(key) else {
            settings.problem(key, "is required: the provider's gRPC server as host:port (127.0.0.1:50051).")
            return nil
        }
        if text.hasPrefix("https://") {
            tls = true
            text.removeFirst("https://".count)
        } else if text.hasPrefix("http://") {
            text.removeFirst("http://".count)
        }
        if text.hasSuffix("/") { text.removeLast() }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port), colon > text.startIndex
        else {
            settings.problem(key, "'\(text)'\(settings.origin(key)) is not host:port; write it as 127.0.0.1:50051.")
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return ProviderEndpoint(host: host, port: port, tls: tls, caFile: caFile, maxResponseMessageBytes: maxBytes)
    }
}
