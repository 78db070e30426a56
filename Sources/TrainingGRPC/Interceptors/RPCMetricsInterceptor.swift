public import GRPCCore
import Metrics
import TrainingCore

/// Records every RPC with swift-metrics, by service, method and status code: calls handled
/// (`grpc_server_handled_total`), latency (`grpc_server_handling_seconds`, a histogram), calls in
/// flight (`grpc_server_in_flight`), and messages and bytes each way. Metric objects are made when
/// used, from `MetricsSystem.currentFactory`, so a server that binds its own factory for its task
/// tree (``TrainingServer`` does for its Prometheus registry) gets them without global bootstrapping.
public struct RPCMetricsInterceptor: ServerInterceptor {
    public init() {}

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let names: [(String, String)] = [
            ("service", context.descriptor.service.fullyQualifiedService), ("method", context.descriptor.method),
        ]
        let inFlight = Meter(label: "grpc_server_in_flight", dimensions: names)
        inFlight.increment()
        let start = ContinuousClock.now
        let observation = RPCObservation { outcome in
            inFlight.decrement()
            Timer(label: "grpc_server_handling_seconds", dimensions: names).recordInterval(since: start)
            Counter(label: "grpc_server_handled_total", dimensions: names + [("code", outcome.code)]).increment()
            Counter(label: "grpc_server_msg_received_total", dimensions: names).increment(by: outcome.messagesIn)
            Counter(label: "grpc_server_msg_sent_total", dimensions: names).increment(by: outcome.messagesOut)
            Counter(label: "grpc_server_received_bytes_total", dimensions: names).increment(by: outcome.bytesIn)
            Counter(label: "grpc_server_sent_bytes_total", dimensions: names).increment(by: outcome.bytesOut)
        }
        return try await observation.run(request: request, context: context, next: next)
    }
}

extension Timer {
    /// Records the time elapsed since `start` on the continuous clock.
    func recordInterval(since start: ContinuousClock.Instant) {
        recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}
