import GRPCCore

/// What crosses the gateway in each direction. HTTP/2 pseudo-headers and the headers each transport
/// writes itself are dropped (sending them twice breaks the call); everything else passes unchanged,
/// `snet-user-address` and the daemon's other keys included, and in answers the provider's rich
/// error details (`grpc-status-details-bin`). A caller can never choose what the provider reads as
/// the gateway's word: every `snet-model-*` key it sends (binary `-bin` ones too) is removed, and
/// only the gateway's own are added.
enum ForwardedMetadata {
    static let modelIDKey = "snet-model-id"
    static let modelPathKey = "snet-model-path"
    /// The prefix of the keys only the gateway may send to the provider.
    static let gatewayPrefix = "snet-model-"

    private static let transportOwned: Set<String> = [
        "content-type", "te", "user-agent", "host", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
        "grpc-status", "grpc-message",
    ]

    /// The caller's metadata as sent on to the provider.
    static func request(_ metadata: Metadata) -> Metadata {
        var forwarded = Metadata()
        forwarded.add(contentsOf: metadata.lazy.filter { keep($0.key) && !lowercase($0.key).hasPrefix(gatewayPrefix) })
        return forwarded
    }

    /// The provider's response metadata (initial or trailing) as sent back to the caller.
    static func response(_ metadata: Metadata) -> Metadata {
        var forwarded = Metadata()
        forwarded.add(contentsOf: metadata.lazy.filter { keep($0.key) })
        return forwarded
    }

    private static func keep(_ key: String) -> Bool {
        !key.hasPrefix(":") && !transportOwned.contains(lowercase(key))
    }

    /// `key` in lower case: HTTP/2 header names already are, so usually `key` itself, not a copy.
    private static func lowercase(_ key: String) -> String {
        key.utf8.contains { (0x41...0x5A).contains($0) } ? key.lowercased() : key
    }

    /// The time left before the caller's deadline (`grpc-timeout`: up to 8 digits and a unit).
    static func timeout(in metadata: Metadata) -> Duration? {
        guard let value = metadata[stringValues: "grpc-timeout"].first(where: { _ in true }),
            value.count >= 2, value.count <= 9, let amount = Int64(value.dropLast()), amount >= 0
        else { return nil }
        switch value.last {
        case "H": return .seconds(amount * 3600)
        case "M": return .seconds(amount * 60)
        case "S": return .seconds(amount)
        case "m": return .milliseconds(amount)
        case "u": return .microseconds(amount)
        case "n": return .nanoseconds(amount)
        default: return nil
        }
    }
}
