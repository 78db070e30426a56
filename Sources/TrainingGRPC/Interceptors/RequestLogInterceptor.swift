public import GRPCCore
public import Logging
import TrainingCore

/// Writes one structured line per RPC when it ends: method, model id (bounded as error messages
/// quote caller input), status code, duration, peer, messages and bytes each way, and the request id. The request id is bound to
/// ``RequestContext/requestID`` for the whole call, so every line the call causes carries it
/// (with a logger whose metadata provider is ``Logging/Logger/MetadataProvider/requestID``), and is
/// echoed to the caller in the `x-request-id` response header.
///
/// ```swift
/// let server = GRPCServer(transport: transport, services: services, interceptors: [RequestLogInterceptor(logger: logger)])
/// ```
public struct RequestLogInterceptor: ServerInterceptor {
    private let logger: Logger
    private let level: Logger.Level

    /// Logs through `logger` at `level` (`info`: a provider sees every call at the default level).
    public init(logger: Logger, level: Logger.Level = .info) {
        self.logger = logger
        self.level = level
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let id = Self.requestID(from: request.metadata)
        let start = ContinuousClock.now
        let method = context.descriptor.fullyQualifiedMethod
        let peer = context.remotePeer
        let (logger, level) = (self.logger, self.level)
        let observation = RPCObservation { outcome in
            let elapsed = ContinuousClock.now - start
            let metadata: Logger.Metadata = [
                "method": .string(method),
                // The id is whatever the caller sent: a 64 KiB one must not make a 64 KiB line.
                "model_id": .string((outcome.modelID ?? "").boundedForLog()),
                "code": .string(outcome.code),
                "duration_ms": .stringConvertible(Self.milliseconds(elapsed)),
                "peer": .string(peer),
                "messages_in": .stringConvertible(outcome.messagesIn),
                "messages_out": .stringConvertible(outcome.messagesOut),
                "bytes_in": .stringConvertible(outcome.bytesIn),
                "bytes_out": .stringConvertible(outcome.bytesOut),
                RequestContext.metadataKey: .string(id),
            ]
            logger.log(level: level, "rpc", metadata: metadata)
        }
        return try await RequestContext.$requestID.withValue(id) {
            var response = try await observation.run(request: request, context: context, next: next)
            response.metadata.replaceOrAddString(id, forKey: RequestContext.headerName)
            return response
        }
    }

    /// The caller's id when it is short printable ASCII (it ends up in log lines), else a new one.
    static func requestID(from metadata: Metadata) -> String {
        if let given = metadata[stringValues: RequestContext.headerName].first(where: { _ in true }),
            (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            return given
        }
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) * 1_000 + Double(attoseconds) / 1e15).rounded(toPlaces: 3)
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
