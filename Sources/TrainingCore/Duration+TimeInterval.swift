public import Foundation

extension Duration {
    /// The duration in seconds, fractions included, for `Date` arithmetic and rates.
    public var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
