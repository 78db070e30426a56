import Metrics
import NIOCore
import Synchronization

/// Counts the gRPC port's open connections as the transport accepts them and closes each one past
/// the limit at once (`snet_connections_open`, `snet_connections_accepted_total`,
/// `snet_connections_refused_total`).
final class ConnectionCounter: Sendable {
    private let limit: Int?
    private let silenceLimit: TimeAmount?
    private let open = Atomic<Int>(0)
    private let openGauge: Gauge
    private let accepted: Counter
    private let refused: Counter

    /// `silenceLimit`: a connection that exchanges no byte for this long is closed outright (nil:
    /// never). The transport's idle timeout only asks a client to leave (GOAWAY, then a PING it
    /// must answer); a client that never answers would otherwise keep its connection forever.
    init(limit: Int?, silenceLimit: Duration?, factory: any MetricsFactory) {
        self.limit = limit
        self.silenceLimit = silenceLimit.map {
            TimeAmount.nanoseconds(Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000)
        }
        openGauge = Gauge(label: "snet_connections_open", factory: factory)
        accepted = Counter(label: "snet_connections_accepted_total", factory: factory)
        refused = Counter(label: "snet_connections_refused_total", factory: factory)
        openGauge.record(0)
    }

    /// Connections open now.
    var current: Int { open.load(ordering: .relaxed) }

    /// The transport's accept hook: counts `channel` until it closes, or closes it at once over
    /// the limit.
    func accept(_ channel: any Channel) -> EventLoopFuture<Void> {
        let now = open.add(1, ordering: .relaxed).newValue
        if let limit, now > limit {
            open.subtract(1, ordering: .relaxed)
            refused.increment()
            // Closed as a client hanging up at once would be: the transport handles that already.
            channel.close(mode: .all, promise: nil)
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        accepted.increment()
        openGauge.record(now)
        if let silenceLimit {
            do {
                try channel.pipeline.syncOperations.addHandler(CloseWhenSilent(), position: .first)
                try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: silenceLimit), position: .first)
            } catch {
                channel.close(mode: .all, promise: nil)
            }
        }
        channel.closeFuture.whenComplete { [self] _ in
            openGauge.record(open.subtract(1, ordering: .relaxed).newValue)
        }
        return channel.eventLoop.makeSucceededVoidFuture()
    }
}

/// Closes the connection when `IdleStateHandler` reports it silent.
private final class CloseWhenSilent: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
