import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Synchronization
import TrainingCore

/// `callers` concurrent callers, each making unary calls back to back for `duration` over one
/// HTTP/2 connection. Any failed call, or an answer other than `expected`, stops the run.
struct CallLoad: Sendable {
    var port: Int
    var descriptor: MethodDescriptor
    var request: [UInt8]
    var metadata: Metadata = [:]
    /// The answer every call must get; nil accepts any answer.
    var expected: [UInt8]?

    /// Calls completed, the seconds they took and the CPU seconds each of `servers` used meanwhile,
    /// after a warm-up call per caller.
    func run(callers: Int, duration: Duration, servers: [ChildProcess]) async throws -> Window {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            let call: @Sendable () async throws -> Void = { [self] in
                let answer = try await client.unary(
                    request: ClientRequest(message: request, metadata: metadata), descriptor: descriptor,
                    serializer: Bytes.Serializer(), deserializer: Bytes.Deserializer(), options: .defaults
                ) { try $0.message }
                if let expected, answer != expected { throw RPCError(code: .internalError, message: "wrong answer from \(descriptor)") }
            }
            for _ in 0..<callers { try await call() }  // warm up: connection and caches
            let before = try servers.map { try $0.cpuSeconds() }
            let (calls, seconds) = try await Self.measure(callers: callers, duration: duration, call)
            let after = try servers.map { try $0.cpuSeconds() }
            return Window(calls: calls, seconds: seconds, cpuSeconds: zip(after, before).map { $0 - $1 })
        }
    }

    private static func measure(
        callers: Int, duration: Duration, _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> (calls: Int, seconds: Double) {
        let completed = CallCounter()
        let clock = ContinuousClock()
        let end = clock.now + duration
        let started = clock.now
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<callers {
                group.addTask {
                    while clock.now < end {
                        try await call()
                        completed.value.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        return (completed.value.load(ordering: .relaxed), (clock.now - started).timeInterval)
    }
}

/// One measured stretch of calls.
struct Window: Sendable {
    var calls: Int
    var seconds: Double
    /// CPU seconds used by each server asked for, in the same order.
    var cpuSeconds: [Double]

    var callsPerSecond: Double { Double(calls) / seconds }

    /// Microseconds of CPU per call of the server at `index`.
    func cpuPerCall(_ index: Int) -> Double { cpuSeconds[index] * 1e6 / Double(max(calls, 1)) }
}

/// Calls completed by every caller task; a class, since tasks cannot share a non-copyable atomic.
private final class CallCounter: Sendable {
    let value = Atomic<Int>(0)
}
