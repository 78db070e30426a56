public import Hummingbird
public import NIOCore

/// The admin listener's request context: Hummingbird's basic one plus the client's address, which
/// the dashboard's sign-in throttle and its refusal log lines need.
public struct AdminRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, for throttling and logs ("unknown" if the transport has none).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
