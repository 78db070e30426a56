import ArgumentParser

/// Where to connect, parsed from `--endpoint` as the daemon writes endpoints (`http://host:port`)
/// or as `host:port`.
struct Endpoint: Equatable {
    var host: String
    var port: Int
    var tls: Bool

    init(parsing text: String, tls: Bool) throws {
        var rest = Substring(text)
        var useTLS = tls
        if rest.hasPrefix("https://") {
            useTLS = true
            rest = rest.dropFirst("https://".count)
        } else if rest.hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let host: Substring
        let portText: Substring?
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : nil
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
            portText = nil
        }
        guard !host.isEmpty, !host.contains("/") else {
            throw ValidationError("--endpoint '\(text)' is not host:port (e.g. 127.0.0.1:5002 or https://example.org:443).")
        }
        let port = portText.map { Int($0) } ?? (useTLS ? 443 : 80)
        guard let port, (1...65535).contains(port) else {
            throw ValidationError("--endpoint '\(text)' has no valid port (1-65535).")
        }
        self.host = String(host)
        self.port = port
        self.tls = useTLS
    }

    /// `http://host:port` or `https://host:port`, as the daemon's configuration names it.
    var url: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(tls ? "https" : "http")://\(shownHost):\(port)"
    }
}
