import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// A measurement tool, not the product's forwarding path: the cheapest forwarder of gRPC calls
/// this machine can run, so the benchmark can say how close any frame-level forwarder could bring
/// the gateway to direct calls.
///
/// Every HTTP/2 stream a caller opens is relayed frame by frame to a stream of the provider
/// connection paired with the caller's connection: request headers as they came (minus every
/// `snet-model-*` key, as the gateway removes them), DATA frames untouched, the provider's headers,
/// DATA and trailers back unchanged, a reset either way passed on. There is no grpc-swift call
/// layer, no stream channel per call, no interceptors, model check, metrics or request log: both
/// connections of a pair run on one event loop and a frame crosses from one to the other in the
/// same read. Flow control only refills each window as soon as it is half used (no back-pressure
/// from the slower side), which is enough for the benchmark's small unary calls.
enum RelayFloor {
    /// Relays calls to the provider on `providerPort` from `port` until standard input closes.
    static func serve(port: Int, providerPort: Int) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { caller in
                ClientBootstrap(group: caller.eventLoop)
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .connect(host: "127.0.0.1", port: providerPort)
                    .flatMapThrowing { provider in
                        let pair = RelayedConnection(caller: caller, provider: provider)
                        try provider.pipeline.syncOperations.addHandlers([
                            NIOHTTP2Handler(mode: .client), RelaySide(pair, side: .provider),
                        ])
                        try caller.pipeline.syncOperations.addHandlers([
                            NIOHTTP2Handler(mode: .server), RelaySide(pair, side: .caller),
                        ])
                    }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        await StandardInput.closed()
        try await server.close()
    }
}

/// One caller connection and the provider connection its streams are relayed to; used only on
/// their shared event loop.
final class RelayedConnection {
    enum Side {
        case caller
        case provider
    }

    let caller: any Channel
    let provider: any Channel
    private var providerStream: [HTTP2StreamID: HTTP2StreamID] = [:]
    private var callerStream: [HTTP2StreamID: HTTP2StreamID] = [:]
    private var nextProviderStream = 1
    private var unflushed: (caller: Bool, provider: Bool) = (false, false)

    init(caller: any Channel, provider: any Channel) {
        self.caller = caller
        self.provider = provider
    }

    func channel(_ side: Side) -> any Channel { side == .caller ? caller : provider }

    /// The stream on the other side that `stream` of `side` is relayed to, opening a provider
    /// stream for a caller's new one.
    func peer(of stream: HTTP2StreamID, on side: Side, opening: Bool) -> HTTP2StreamID? {
        switch side {
        case .caller:
            if let mapped = providerStream[stream] { return mapped }
            guard opening else { return nil }
            let opened = HTTP2StreamID(nextProviderStream)
            nextProviderStream += 2
            providerStream[stream] = opened
            callerStream[opened] = stream
            return opened
        case .provider:
            return callerStream[stream]
        }
    }

    /// Forgets a closed stream; returns its peer if it was still open, for a reset to follow.
    func forget(_ stream: HTTP2StreamID, on side: Side) -> HTTP2StreamID? {
        let peer: HTTP2StreamID?
        switch side {
        case .caller:
            peer = providerStream.removeValue(forKey: stream)
            if let peer { callerStream[peer] = nil }
        case .provider:
            peer = callerStream.removeValue(forKey: stream)
            if let peer { providerStream[peer] = nil }
        }
        return peer
    }

    func write(_ frame: HTTP2Frame, to side: Side) {
        channel(side).pipeline.syncOperations.write(NIOAny(frame), promise: nil)
        if side == .caller { unflushed.caller = true } else { unflushed.provider = true }
    }

    /// One flush per read burst on each side that was written to.
    func flush() {
        if unflushed.caller { caller.pipeline.syncOperations.flush() }
        if unflushed.provider { provider.pipeline.syncOperations.flush() }
        unflushed = (false, false)
    }
}

/// The frames one side's `NIOHTTP2Handler` reads, relayed to the other side.
final class RelaySide: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    /// The window each side advertises (the HTTP/2 default), refilled once half is used.
    private static let window = 65_535

    private let pair: RelayedConnection
    private let side: RelayedConnection.Side
    private var other: RelayedConnection.Side { side == .caller ? .provider : .caller }

    init(_ pair: RelayedConnection, side: RelayedConnection.Side) {
        self.pair = pair
        self.side = side
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .headers(var headers):
            guard let peer = pair.peer(of: frame.streamID, on: side, opening: side == .caller) else { return }
            if side == .caller { headers.headers = Self.withoutGatewayKeys(headers.headers) }
            pair.write(HTTP2Frame(streamID: peer, payload: .headers(headers)), to: other)
            if headers.endStream { answered(frame.streamID) }
        case .data(let data):
            guard let peer = pair.peer(of: frame.streamID, on: side, opening: false) else { return }
            pair.write(HTTP2Frame(streamID: peer, payload: .data(data)), to: other)
            if data.endStream { answered(frame.streamID) }
        case .rstStream(let code):
            guard let peer = pair.forget(frame.streamID, on: side) else { return }
            pair.write(HTTP2Frame(streamID: peer, payload: .rstStream(code)), to: other)
        default:
            break  // SETTINGS, PING, WINDOW_UPDATE, GOAWAY: the connection's own, handled by NIOHTTP2Handler
        }
    }

    /// Once the provider's answer has ended, the call is over for the caller: a reset that follows
    /// (grpcio sends RST_STREAM NO_ERROR when the request's end has not reached it yet) is not
    /// passed on, since the caller would read it as the call failing.
    private func answered(_ stream: HTTP2StreamID) {
        if side == .provider { _ = pair.forget(stream, on: .provider) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        pair.flush()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let closed = event as? StreamClosedEvent {
            // A stream that ends cleanly ends on the other side through the relayed END_STREAM;
            // one reset or failed here is reset there.
            if let peer = pair.forget(closed.streamID, on: side), let reason = closed.reason {
                pair.write(HTTP2Frame(streamID: peer, payload: .rstStream(reason)), to: other)
            }
        } else if let window = event as? NIOHTTP2WindowUpdatedEvent, let left = window.inboundWindowSize, left <= Self.window / 2 {
            pair.write(HTTP2Frame(streamID: window.streamID, payload: .windowUpdate(windowSizeIncrement: Self.window - left)), to: side)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pair.channel(other).close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static func withoutGatewayKeys(_ headers: HPACKHeaders) -> HPACKHeaders {
        guard headers.contains(where: { $0.name.hasPrefix("snet-model-") }) else { return headers }
        var kept = HPACKHeaders()
        for (name, value, indexing) in headers where !name.hasPrefix("snet-model-") {
            kept.add(name: name, value: value, indexing: indexing)
        }
        return kept
    }
}
