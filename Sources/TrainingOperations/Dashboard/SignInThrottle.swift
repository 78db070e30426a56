import Foundation
import Synchronization

/// Failed dashboard sign-ins per client address: after ``maxFailures`` failures within ``window``,
/// the address is refused (429) until the window since its first failure has passed, so a
/// credential cannot be guessed at network speed. A success clears the address's count.
final class SignInThrottle: Sendable {
    static let maxFailures = 5
    static let window: TimeInterval = 60
    /// Addresses remembered at most; past it, expired entries go first, then the oldest.
    static let maxTracked = 10_000

    private struct Failures {
        var count: Int
        var since: Date
    }

    private let failures = Mutex<[String: Failures]>([:])
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    /// Seconds until `client` may try again; nil when it may try now.
    func retryAfter(_ client: String) -> Int? {
        let now = now()
        return failures.withLock { failures in
            guard let entry = failures[client], entry.count >= Self.maxFailures else { return nil }
            let left = Self.window - now.timeIntervalSince(entry.since)
            guard left > 0 else {
                failures[client] = nil
                return nil
            }
            return Int(left.rounded(.up))
        }
    }

    /// Counts a failed attempt by `client`.
    func failed(_ client: String) {
        let now = now()
        failures.withLock { failures in
            if var entry = failures[client], now.timeIntervalSince(entry.since) < Self.window {
                entry.count += 1
                failures[client] = entry
                return
            }
            if failures.count >= Self.maxTracked {
                failures = failures.filter { now.timeIntervalSince($0.value.since) < Self.window }
                if failures.count >= Self.maxTracked, let oldest = failures.min(by: { $0.value.since < $1.value.since }) {
                    failures[oldest.key] = nil
                }
            }
            failures[client] = Failures(count: 1, since: now)
        }
    }

    /// Forgets `client`'s failures after it signed in.
    func succeeded(_ client: String) {
        _ = failures.withLock { $0.removeValue(forKey: client) }
    }
}
