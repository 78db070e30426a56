import Synchronization

/// Whether this node should receive traffic, and why not: it is draining for a graceful shutdown,
/// or its model registry cannot be reached. Shared by the gRPC health service, `/readyz` and the
/// dashboard; watchers hear every change.
public final class HealthStatus: Sendable {
    /// Why a node is not serving.
    public enum Reason: String, Sendable, CaseIterable {
        case draining = "draining for shutdown"
        case registryUnreachable = "model registry unreachable"
    }

    private struct State {
        var reasons: Set<Reason> = []
        var watchers: [Int: AsyncStream<Bool>.Continuation] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// True when nothing stops the node serving.
    public var isServing: Bool { state.withLock { $0.reasons.isEmpty } }

    /// Why the node is not serving, in a stable order; empty when serving.
    public var reasons: [Reason] { state.withLock { state in Reason.allCases.filter { state.reasons.contains($0) } } }

    /// Whether a graceful shutdown has begun.
    public var isDraining: Bool { state.withLock { $0.reasons.contains(.draining) } }

    /// Marks the node as draining; it never serves again.
    public func beginDraining() { update { $0.insert(.draining) } }

    /// Records the outcome of a registry probe.
    public func setRegistryReachable(_ reachable: Bool) {
        update { reasons in
            if reachable { reasons.remove(.registryUnreachable) } else { reasons.insert(.registryUnreachable) }
        }
    }

    /// The serving state now, then each change, until the node drains (the stream then ends after
    /// reporting false, so a graceful shutdown is not held up by watchers).
    public func changes() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLock { state in
            continuation.yield(state.reasons.isEmpty)
            if state.reasons.contains(.draining) {
                continuation.finish()
                return nil
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = continuation
            return id
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    private func update(_ change: (inout Set<Reason>) -> Void) {
        // Streams end outside the lock: finishing one runs its onTermination, which takes the lock
        // again to forget the watcher. Changes are yielded inside it, so watchers see them in order.
        let ending: [AsyncStream<Bool>.Continuation] = state.withLock { state in
            let before = state.reasons.isEmpty
            change(&state.reasons)
            let after = state.reasons.isEmpty
            if before != after {
                for watcher in state.watchers.values { watcher.yield(after) }
            }
            guard state.reasons.contains(.draining) else { return [] }
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        for watcher in ending { watcher.finish() }
    }
}
