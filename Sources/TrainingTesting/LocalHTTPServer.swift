public import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 for tests of dataset links: fixed routes that serve bytes
/// (with or without Content-Length), redirect, fail, or never answer.
public final class LocalHTTPServer: Sendable {
    public enum Response: Sendable {
        /// 200 with these bytes; `declareLength: false` streams them chunked, without Content-Length.
        case bytes(Data, declareLength: Bool = true)
        /// A redirect to `location` (absolute or relative).
        case redirect(String, status: Int = 302)
        /// An empty response with this status.
        case status(Int)
        /// Accepts the request and never answers (timeouts).
        case stall
    }

    public let port: Int
    private let channel: any Channel
    private let requests: RequestLog

    public static func start(routes: [String: Response]) async throws -> LocalHTTPServer {
        let requests = RequestLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RouteHandler(routes: routes, requests: requests))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return LocalHTTPServer(port: channel.localAddress?.port ?? 0, channel: channel, requests: requests)
    }

    private init(port: Int, channel: any Channel, requests: RequestLog) {
        self.port = port
        self.channel = channel
        self.requests = requests
    }

    /// Every request received so far, as `METHOD path`.
    public var requestsReceived: [String] { requests.all }

    /// `http://127.0.0.1:<port><path>`
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public func stop() async throws {
        try await channel.close()
    }
}

private final class RouteHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: [String: LocalHTTPServer.Response]
    private let requests: RequestLog

    init(routes: [String: LocalHTTPServer.Response], requests: RequestLog) {
        self.routes = routes
        self.requests = requests
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        requests.append("\(head.method.rawValue) \(path)")
        switch routes[path] ?? .status(404) {
        case .stall:
            return
        case .status(let code):
            respond(context, status: code, headers: ["content-length": "0"], body: nil)
        case .redirect(let location, let code):
            respond(context, status: code, headers: ["location": location, "content-length": "0"], body: nil)
        case .bytes(let data, let declareLength):
            var headers: HTTPHeaders = declareLength ? ["content-length": "\(data.count)"] : ["transfer-encoding": "chunked"]
            headers.add(name: "content-type", value: "application/octet-stream")
            respond(context, status: 200, headers: headers, body: data)
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: Int, headers: HTTPHeaders, body: Data?) {
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, !body.isEmpty {
            var offset = 0
            while offset < body.count {  // several parts, like a real download
                let end = min(offset + 64 * 1024, body.count)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body[offset..<end])))), promise: nil)
                offset = end
            }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

private final class RequestLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}
