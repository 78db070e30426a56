public import Foundation
public import GRPCCore
import Synchronization

/// Calls and uploads per minute over the last hour, for the dashboard's chart. Counted by an
/// interceptor on this node (a Prometheus server keeps the long history; this is the glance);
/// health probes are left out.
public final class CallActivity: Sendable, ServerInterceptor {
    static let minutes = 60
    private struct State {
        var calls = [Int](repeating: 0, count: CallActivity.minutes)
        var uploads = [Int](repeating: 0, count: CallActivity.minutes)
        var errors = [Int](repeating: 0, count: CallActivity.minutes)
        var minute = 0
    }

    private let state: Mutex<State>
    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
        self.state = Mutex(State(minute: Self.minute(of: now())))
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        // Health probes are not calls: a load balancer polling each second would fill the chart.
        if context.descriptor.service.fullyQualifiedService == "grpc.health.v1.Health" { return try await next(request, context) }
        let upload = context.descriptor.method == "upload_and_validate"
        do {
            let response = try await next(request, context)
            if case .failure = response.accepted { record(upload: upload, failed: true) } else { record(upload: upload, failed: false) }
            return response
        } catch {
            record(upload: upload, failed: true)
            throw error
        }
    }

    func record(upload: Bool, failed: Bool) {
        let minute = Self.minute(of: now())
        state.withLock { state in
            Self.advance(&state, to: minute)
            let slot = minute % Self.minutes
            state.calls[slot] += 1
            if upload { state.uploads[slot] += 1 }
            if failed { state.errors[slot] += 1 }
        }
    }

    /// Oldest minute first: calls, uploads and failed calls in each of the last 60 minutes.
    func lastHour() -> [(calls: Int, uploads: Int, errors: Int)] {
        let minute = Self.minute(of: now())
        return state.withLock { state in
            Self.advance(&state, to: minute)
            return (0..<Self.minutes).map { offset in
                let slot = (minute - Self.minutes + 1 + offset + Self.minutes * 2) % Self.minutes
                return (state.calls[slot], state.uploads[slot], state.errors[slot])
            }
        }
    }

    /// Clears the slots of minutes that passed without calls.
    private static func advance(_ state: inout State, to minute: Int) {
        guard minute > state.minute else { return }
        for passed in (state.minute + 1)...min(minute, state.minute + minutes) {
            let slot = passed % minutes
            state.calls[slot] = 0
            state.uploads[slot] = 0
            state.errors[slot] = 0
        }
        state.minute = minute
    }

    private static func minute(of date: Date) -> Int { Int(date.timeIntervalSince1970 / 60) }
}
