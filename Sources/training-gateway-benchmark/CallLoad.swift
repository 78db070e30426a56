import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Synchronization
import TrainingCore

/// `callers` concurrent callers, each making unary calls back to back for `duration` over one
/// HTTP/2 connection; returns completed calls per second. Any failed call stops the run.
enum CallLoad {
    static func callsPerSecond(
        port: Int,
        request: [UInt8],
        metadata: Metadata,
        callers: Int,
        duration: Duration
    ) async throws -> Double {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            let descriptor = MethodDescriptor(fullyQualifiedService: "service.ExampleService", method: "stt")
            let call: @Sendable () async throws -> Void = {
                let answer = try await client.unary(
                    request: ClientRequest(message: request, metadata: metadata), descriptor: descriptor,
                    serializer: Bytes.Serializer(), deserializer: Bytes.Deserializer(), options: .defaults
                ) { try $0.message }
                guard answer == EchoProvider.answer else { throw RPCError(code: .internalError, message: "wrong answer") }
            }
            for _ in 0..<callers { try await call() }  // warm up: connection and caches
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
            let elapsed = clock.now - started
            return Double(completed.value.load(ordering: .relaxed)) / elapsed.timeInterval
        }
    }
}

/// Calls completed by every caller task; a class, since tasks cannot share a non-copyable atomic.
private final class CallCounter: Sendable {
    let value = Atomic<Int>(0)
}
