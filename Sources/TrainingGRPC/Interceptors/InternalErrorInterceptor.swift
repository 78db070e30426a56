public import GRPCCore
public import Logging
import TrainingCore

/// The catch-all: an error a consumer can act on (any code but INTERNAL and UNKNOWN, with its own
/// message) passes unchanged; anything else (a fault inside the service, a bug, a third-party
/// error) reaches the consumer as INTERNAL with a short incident id and no internal text, and the
/// log line carries the same id with the full error. A ``RelayedStatus`` (another server's answer,
/// as the gateway forwards its provider's) always passes unchanged. Install it innermost, so
/// request logs and metrics see the code the consumer sees.
public struct InternalErrorInterceptor: ServerInterceptor {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod
        do {
            var response = try await next(request, context)
            if case .success(var contents) = response.accepted {
                let producer = contents.producer
                contents.producer = { [self] writer in
                    do {
                        return try await producer(writer)
                    } catch {
                        throw shielded(error, method: method)
                    }
                }
                response.accepted = .success(contents)
            }
            return response
        } catch {
            throw shielded(error, method: method)
        }
    }

    /// `error` itself when the consumer can act on it; otherwise INTERNAL with an incident id.
    func shielded(_ error: any Error, method: String) -> any Error {
        if error is RelayedStatus { return error }
        if let rpc = error as? RPCError, rpc.code != .internalError, rpc.code != .unknown { return rpc }
        if let convertible = error as? any RPCErrorConvertible, convertible.rpcErrorCode != .internalError,
            convertible.rpcErrorCode != .unknown
        {
            return error
        }
        if error is CancellationError { return RPCError(code: .cancelled, message: "The call was cancelled.") }
        let incident = Self.incidentID()
        logger.error(
            "internal error answered as INTERNAL",
            metadata: ["incident": .string(incident), "method": .string(method), "error": .string(String(reflecting: error).bounded(toUTF8Bytes: 4096))]
        )
        return RPCError(
            code: .internalError,
            message: "The service hit an internal error (incident \(incident)). Try again later; if it keeps failing, give the provider this incident id."
        )
    }

    /// Eight hex digits: short enough to read out, unique enough to find in a day of logs.
    static func incidentID() -> String {
        let value = UInt32.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
