public import GRPCCore

/// Calls `body` again while it fails UNAVAILABLE (a server or a service behind it still starting),
/// every `interval`, for up to `limit` in all; then throws the last UNAVAILABLE error. Every other
/// outcome of `body` returns or is thrown at once. The waits pass on `clock`.
///
/// ```swift
/// let reply = try await retryingUnavailable(for: .seconds(30)) { try await caller.call(...) }
/// ```
public func retryingUnavailable<T>(
    for limit: Duration,
    every interval: Duration = .milliseconds(500),
    clock: some Clock<Duration> = ContinuousClock(),
    _ body: () async throws -> T
) async throws -> T {
    let deadline = clock.now.advanced(by: limit)
    while true {
        do {
            return try await body()
        } catch let error as RPCError where error.code == .unavailable {
            guard clock.now.advanced(by: interval) < deadline else { throw error }
            try await clock.sleep(for: interval)
        }
    }
}
