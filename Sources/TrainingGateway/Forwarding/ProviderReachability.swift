import Foundation
public import GRPCCore
import NIOCore
import NIOPosix

/// Whether the provider's port answers, asked when the gateway starts and when a forwarded call
/// fails UNAVAILABLE: a client then learns that the provider is down (the gateway being up), not
/// the generic "is the server running?" its own tools say about the address it called.
public struct ProviderReachability: Sendable {
    /// `host:port` of the provider, as configured.
    public let host: String
    public let port: Int
    /// How long a connection attempt may take.
    public var timeout: Duration = .seconds(2)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Nil when a TCP connection to the provider opens within ``timeout``; otherwise why it did not
    /// ("connection refused", "no answer within 2 seconds", "the host name does not resolve").
    public func problem() async -> String? {
        let milliseconds = Int64(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(milliseconds))
                .connect(host: host, port: port)
                .get()
            try? await channel.close()
            return nil
        } catch {
            return Self.describe(error, timeout: timeout)
        }
    }

    /// A forwarded call's UNAVAILABLE, explained when the provider cannot be reached; the
    /// provider's own UNAVAILABLE (it answered, overloaded say) passes unchanged.
    public func explain(_ error: RPCError) async -> RPCError {
        guard error.code == .unavailable, let problem = await problem() else { return error }
        return RPCError(
            code: .unavailable,
            message:
                "The provider at \(endpoint) cannot be reached (\(problem)): this training gateway is running, the provider's service behind it is not. Start the provider, or check provider.endpoint in the gateway's configuration; then retry.",
            cause: error
        )
    }

    private static func describe(_ error: any Error, timeout: Duration) -> String {
        if let connection = error as? NIOConnectionError {
            if connection.dnsAError != nil || connection.dnsAAAAError != nil, connection.connectionErrors.isEmpty {
                return "the host name does not resolve"
            }
            if let io = connection.connectionErrors.lazy.compactMap({ $0.error as? IOError }).first { return reason(errno: io.errnoCode) }
            if connection.connectionErrors.contains(where: { if case ChannelError.connectTimeout = $0.error { true } else { false } }) {
                return "no answer within \(timeout)"
            }
        }
        if let io = error as? IOError { return reason(errno: io.errnoCode) }
        if case ChannelError.connectTimeout = error { return "no answer within \(timeout)" }
        return "\(error)"
    }

    /// In words that do not read as the caller's own connection failing (clients such as
    /// snet-train take "refused" in a message for "the address you called is down").
    private static func reason(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "nothing listens on that port"
        case ETIMEDOUT: "no answer"
        case EHOSTUNREACH, ENETUNREACH: "its host is unreachable"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
