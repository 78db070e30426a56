public import Foundation

extension Duration {
    /// The duration in seconds, fractions included, for `Date` arithmetic and rates.
    public var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds, for timers (`recordNanoseconds`) and client timeouts.
    public var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
