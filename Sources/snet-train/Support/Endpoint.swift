import ArgumentParser

/// Where to connect, parsed from `--endpoint` (or `SNET_TRAIN_ENDPOINT`) as the daemon writes
/// endpoints (`http://host:port`) or as `host:port`.
struct Endpoint: Equatable {
    /// The port `stt-service` and the daemon's examples use, so `--endpoint myhost` means what a
    /// newcomer expects rather than HTTP's port 80.
    static let defaultPort = 5002

    var host: String
    var port: Int
    var tls: Bool

    /// - Parameter source: how the text was given (`--endpoint`, `SNET_TRAIN_ENDPOINT`), for messages.
    init(parsing text: String, tls: Bool, source: String = "--endpoint") throws {
        var rest = Substring(text)
        var useTLS = tls
        if rest.hasPrefix("https://") {
            useTLS = true
            rest = rest.dropFirst("https://".count)
        } else if rest.hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        // A bare number is almost always a port typed without its host; guessing a host would hide that.
        if !rest.isEmpty, rest.allSatisfy(\.isNumber) {
            throw ValidationError("\(source) '\(text)' is only a port; write host:port, e.g. 127.0.0.1:\(rest).")
        }
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
            throw ValidationError("\(source) '\(text)' is not host:port (e.g. 127.0.0.1:5002 or https://example.org:443).")
        }
        let port = portText.map { Int($0) } ?? Self.defaultPort
        guard let port, (1...65535).contains(port) else {
            throw ValidationError("\(source) '\(text)' has no valid port (1-65535).")
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
