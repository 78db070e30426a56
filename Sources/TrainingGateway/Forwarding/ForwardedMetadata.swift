import GRPCCore

/// What crosses the gateway in each direction. HTTP/2 pseudo-headers and the headers each transport
/// writes itself are dropped (sending them twice breaks the call); everything else passes unchanged,
/// `snet-user-address` and the daemon's other keys included. A caller can never choose the model
/// path the provider reads: the gateway's own `snet-model-*` keys replace any the caller sent.
enum ForwardedMetadata {
    static let modelIDKey = "snet-model-id"
    static let modelPathKey = "snet-model-path"

    private static let transportOwned: Set<String> = [
        "content-type", "te", "user-agent", "host", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
        "grpc-status", "grpc-message", "grpc-status-details-bin",
    ]

    /// The caller's metadata as sent on to the provider.
    static func request(_ metadata: Metadata) -> Metadata {
        var forwarded = Metadata()
        forwarded.add(contentsOf: metadata.lazy.filter { keep($0.key) })
        forwarded.removeAllValues(forKey: modelIDKey)
        forwarded.removeAllValues(forKey: modelPathKey)
        return forwarded
    }

    /// The provider's response metadata (initial or trailing) as sent back to the caller.
    static func response(_ metadata: Metadata) -> Metadata {
        var forwarded = Metadata()
        forwarded.add(contentsOf: metadata.lazy.filter { keep($0.key) })
        return forwarded
    }

    private static func keep(_ key: String) -> Bool {
        !key.hasPrefix(":") && !transportOwned.contains(key.lowercased())
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
