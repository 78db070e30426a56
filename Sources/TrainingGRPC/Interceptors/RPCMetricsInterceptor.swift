public import GRPCCore
public import Metrics
import Synchronization
import TrainingCore

/// Records every RPC with swift-metrics, by service, method and status code: calls handled
/// (`grpc_server_handled_total`), latency (`grpc_server_handling_seconds`, a histogram), calls in
/// flight (`grpc_server_in_flight`), and messages and bytes each way. Health probes
/// (`grpc.health.v1.Health`) are counted apart, in `grpc_server_health_checks_total{method,code}`,
/// so a load balancer polling every second does not swamp the figures of real calls.
///
/// Metric objects are made once per label set, at a method's first call, from `factory` (by
/// default the one bound when the interceptor is made: ``TrainingServer`` binds its Prometheus
/// registry's).
public struct RPCMetricsInterceptor: ServerInterceptor {
    private let metrics: RPCMetricSets

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.metrics = RPCMetricSets(factory: factory)
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor
        if method.service == HealthProbes.service {
            let probes = metrics.probes(method.method)
            do {
                let response = try await next(request, context)
                if case .failure(let error) = response.accepted { probes.handled(StatusCodeName.of(error)) } else { probes.handled("OK") }
                return response
            } catch {
                probes.handled(StatusCodeName.of(error))
                throw error
            }
        }
        let set = metrics.calls(method)
        set.inFlight.increment()
        let start = ContinuousClock.now
        let observation = RPCObservation { outcome in
            set.inFlight.decrement()
            set.handling.recordInterval(since: start)
            set.handled(outcome.code).increment()
            set.messagesReceived.increment(by: outcome.messagesIn)
            set.messagesSent.increment(by: outcome.messagesOut)
            set.bytesReceived.increment(by: outcome.bytesIn)
            set.bytesSent.increment(by: outcome.bytesOut)
        }
        return try await observation.run(request: request, context: context, next: next)
    }
}

/// The health service's name, whose calls are probes rather than work.
enum HealthProbes {
    static let service = ServiceDescriptor(fullyQualifiedService: "grpc.health.v1.Health")
}

/// The metric objects of each method, made at its first call and kept.
final class RPCSet: Sendable {
    let inFlight: Meter
    let handling: Timer
    let messagesReceived: Counter
    let messagesSent: Counter
    let bytesReceived: Counter
    let bytesSent: Counter
    private let names: [(String, String)]
    private let factory: any MetricsFactory
    private let handledByCode = Mutex<[String: Counter]>([:])

    init(_ method: MethodDescriptor, factory: any MetricsFactory) {
        let names = [("service", method.service.fullyQualifiedService), ("method", method.method)]
        self.names = names
        self.factory = factory
        inFlight = Meter(label: "grpc_server_in_flight", dimensions: names, factory: factory)
        handling = Timer(label: "grpc_server_handling_seconds", dimensions: names, factory: factory)
        messagesReceived = Counter(label: "grpc_server_msg_received_total", dimensions: names, factory: factory)
        messagesSent = Counter(label: "grpc_server_msg_sent_total", dimensions: names, factory: factory)
        bytesReceived = Counter(label: "grpc_server_received_bytes_total", dimensions: names, factory: factory)
        bytesSent = Counter(label: "grpc_server_sent_bytes_total", dimensions: names, factory: factory)
    }

    /// `grpc_server_handled_total` for this method and `code`, made at the code's first use.
    func handled(_ code: String) -> Counter {
        handledByCode.withLock { counters in
            if let counter = counters[code] { return counter }
            let counter = Counter(label: "grpc_server_handled_total", dimensions: names + [("code", code)], factory: factory)
            counters[code] = counter
            return counter
        }
    }
}

/// `grpc_server_health_checks_total` of one health method, by code.
final class ProbeSet: Sendable {
    private let method: String
    private let factory: any MetricsFactory
    private let byCode = Mutex<[String: Counter]>([:])

    init(method: String, factory: any MetricsFactory) {
        self.method = method
        self.factory = factory
    }

    func handled(_ code: String) {
        byCode.withLock { counters in
            if let counter = counters[code] { return counter }
            let counter = Counter(label: "grpc_server_health_checks_total", dimensions: [("method", method), ("code", code)], factory: factory)
            counters[code] = counter
            return counter
        }.increment()
    }
}

/// The sets of every method seen so far.
final class RPCMetricSets: Sendable {
    private let factory: any MetricsFactory
    private let sets = Mutex<(calls: [MethodDescriptor: RPCSet], probes: [String: ProbeSet])>(([:], [:]))

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func calls(_ method: MethodDescriptor) -> RPCSet {
        sets.withLock { sets in
            if let set = sets.calls[method] { return set }
            let set = RPCSet(method, factory: factory)
            sets.calls[method] = set
            return set
        }
    }

    func probes(_ method: String) -> ProbeSet {
        sets.withLock { sets in
            if let set = sets.probes[method] { return set }
            let set = ProbeSet(method: method, factory: factory)
            sets.probes[method] = set
            return set
        }
    }
}

extension Timer {
    /// Records the time elapsed since `start` on the continuous clock.
    func recordInterval(since start: ContinuousClock.Instant) {
        recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}
